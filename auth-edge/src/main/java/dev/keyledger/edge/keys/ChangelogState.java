package dev.keyledger.edge.keys;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the table can be trusted: caught up with the changelog once, and fresh. Freshness is about
 * data, not about contact with a broker: the query-service publishes, for each partition of
 * {@code keyledger.key-events}, a heartbeat saying "everything of partition P up to offset O, read
 * at T, is in this changelog", and only while its projection keeps up. The edge's staleness is the
 * age of the OLDEST partition's newest heartbeat, over every partition it expects (the most it has
 * learned from the broker's partition count and from the heartbeats' {@code partitions} field), so
 * a dead or wedged read-side instance owning some partitions cannot hide behind a healthy one. A
 * partition without any heartbeat is infinitely stale; so is an edge that knows of no partition.
 *
 * <p>Clock skew: the age is the edge's clock minus the read side's {@code read_at}. A read side
 * whose clock runs ahead cannot buy freshness: a heartbeat counts as read no later than the moment
 * the edge applied it. A read side whose clock runs behind makes heartbeats look older by the skew,
 * so skew close to the bound fails closed early (keep clocks on NTP).
 *
 * <p>Thread safety: one writer, the follower thread, calls {@link #applyHeartbeat} and
 * {@link #expectPartitions}; readers on any thread see an immutable snapshot through one volatile
 * field, so the hot path costs two volatile reads and no lock.
 */
public final class ChangelogState {

    /** More partitions than any real topic has; a heartbeat claiming more is malformed. */
    static final int MAX_PARTITIONS = 65_536;

    /** The read time of a partition that has had no heartbeat yet. */
    private static final long NEVER = Long.MIN_VALUE;

    private final Clock clock;
    private final long stalenessBoundMillis;
    private volatile boolean caughtUp;
    private volatile Oldest oldest = new Oldest(-1, NEVER, 0, 0);

    // Follower thread only.
    private long[] readAt = new long[0];
    private int topicPartitions;
    private int announcedPartitions;

    /** The oldest partition's newest heartbeat, recomputed on every change by the writer. */
    private record Oldest(int partition, long readAtMillis, int partitions, int withoutHeartbeat) {}

    /**
     * What health and metrics report.
     *
     * @param oldestPartition the partition whose newest heartbeat is the oldest, or -1 when the edge
     *     knows of no partition
     * @param oldestAgeMillis that heartbeat's age, or -1 when it has had none
     * @param partitions how many partitions of {@code keyledger.key-events} the edge expects
     * @param withoutHeartbeat how many of them have had no heartbeat yet
     */
    public record Freshness(
            boolean caughtUp,
            boolean stale,
            int oldestPartition,
            long oldestAgeMillis,
            int partitions,
            int withoutHeartbeat) {}

    public ChangelogState(Clock clock, long stalenessBoundMillis) {
        this.clock = clock;
        this.stalenessBoundMillis = stalenessBoundMillis;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public void markCaughtUp() {
        caughtUp = true;
    }

    /**
     * Applies one partition's heartbeat; an older one than the partition already has changes
     * nothing. Returns {@code false}, and changes nothing, for a malformed one.
     */
    public boolean applyHeartbeat(int partition, int partitions, Instant readAt) {
        if (readAt == null
                || partitions < 1
                || partitions > MAX_PARTITIONS
                || partition < 0
                || partition >= partitions) {
            return false;
        }
        long readAtMillis;
        try {
            readAtMillis = readAt.toEpochMilli();
        } catch (ArithmeticException e) {
            return false;
        }
        if (readAtMillis < 0) {
            // Nothing real predates 1970; refusing it also keeps "now - readAt" from overflowing.
            return false;
        }
        announcedPartitions = Math.max(announcedPartitions, partitions);
        ensureCapacity();
        long effective = Math.min(readAtMillis, clock.millis());
        if (effective > this.readAt[partition]) {
            this.readAt[partition] = effective;
        }
        recompute();
        return true;
    }

    /** The partition count of {@code keyledger.key-events} as the broker reports it. */
    public void expectPartitions(int count) {
        int bounded = Math.min(count, MAX_PARTITIONS);
        if (bounded > topicPartitions) {
            topicPartitions = bounded;
            ensureCapacity();
            recompute();
        }
    }

    /** Past the bound (or without a heartbeat for some partition): key checks fail closed. */
    public boolean stale(long nowMillis) {
        Oldest current = oldest;
        return current.readAtMillis == NEVER || nowMillis - current.readAtMillis > stalenessBoundMillis;
    }

    /**
     * The staleness in seconds for the gauge: the oldest heartbeat's age (never negative), infinite
     * when some partition has had none once the edge has caught up, and NaN (unknown) before that.
     */
    public double stalenessSeconds(long nowMillis) {
        Oldest current = oldest;
        if (current.readAtMillis == NEVER) {
            return caughtUp ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return Math.max(0, nowMillis - current.readAtMillis) / 1000.0;
    }

    public Freshness freshness(long nowMillis) {
        Oldest current = oldest;
        long age = current.readAtMillis == NEVER ? -1 : Math.max(0, nowMillis - current.readAtMillis);
        return new Freshness(
                caughtUp, stale(nowMillis), current.partition, age, current.partitions, current.withoutHeartbeat);
    }

    public long stalenessBoundMillis() {
        return stalenessBoundMillis;
    }

    private void ensureCapacity() {
        int expected = Math.max(topicPartitions, announcedPartitions);
        if (expected > readAt.length) {
            long[] grown = java.util.Arrays.copyOf(readAt, expected);
            java.util.Arrays.fill(grown, readAt.length, expected, NEVER);
            readAt = grown;
        }
    }

    private void recompute() {
        if (readAt.length == 0) {
            oldest = new Oldest(-1, NEVER, 0, 0);
            return;
        }
        int oldestPartition = 0;
        int withoutHeartbeat = 0;
        for (int partition = 0; partition < readAt.length; partition++) {
            if (readAt[partition] == NEVER) {
                withoutHeartbeat++;
            }
            if (readAt[partition] < readAt[oldestPartition]) {
                oldestPartition = partition;
            }
        }
        oldest = new Oldest(oldestPartition, readAt[oldestPartition], readAt.length, withoutHeartbeat);
    }
}
