package dev.keyledger.query.projection;

import java.time.Instant;

/**
 * The state of the last or running rebuild, as the actuator endpoint shows it.
 *
 * @param rebuilding whether a rebuild runs now
 * @param progress records read divided by the end offsets captured when it started, 0 to 1
 * @param eventsApplied events applied since it started
 * @param eventsPerSecond mean rate since it started
 */
public record RebuildProgress(
        boolean rebuilding, double progress, long eventsApplied, double eventsPerSecond, Instant startedAt) {

    static final RebuildProgress IDLE = new RebuildProgress(false, 0, 0, 0, null);
}
