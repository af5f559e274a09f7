package dev.keyledger.edge.keys;

import java.time.Clock;

/**
 * Whether the table can be trusted: caught up with the changelog once, and in contact with the
 * broker recently enough. Written by the follower, read on every request; two volatile fields, no
 * locks.
 */
public final class ChangelogState {

    private final Clock clock;
    private final long stalenessBoundMillis;
    private volatile boolean caughtUp;
    private volatile long lastContactMillis;

    public ChangelogState(Clock clock, long stalenessBoundMillis) {
        this.clock = clock;
        this.stalenessBoundMillis = stalenessBoundMillis;
        this.lastContactMillis = clock.millis();
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public void markCaughtUp() {
        caughtUp = true;
    }

    public void markContact() {
        lastContactMillis = clock.millis();
    }

    public long ageMillis(long nowMillis) {
        return Math.max(0, nowMillis - lastContactMillis);
    }

    public boolean stale(long nowMillis) {
        return nowMillis - lastContactMillis > stalenessBoundMillis;
    }

    public long stalenessBoundMillis() {
        return stalenessBoundMillis;
    }
}
