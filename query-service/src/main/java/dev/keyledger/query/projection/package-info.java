/**
 * Projections of {@code keyledger.key-events}: organizations, databases, API keys and the audit log
 * (which is also the per-key history), in PostgreSQL tables owned by Flyway. One
 * {@code <Model>Projection} per table on the shared {@link dev.keyledger.query.projection.PollRows}
 * helper, dispatched by {@link dev.keyledger.query.projection.KeyEventProjection} on the sealed event
 * interfaces. One thread ({@link dev.keyledger.query.projection.ProjectionRunner}) consumes every
 * partition; each poll is one transaction holding the rows, the consumer positions and the
 * acknowledged active-key records, and after it commits the thread publishes partition heartbeats.
 * Duplicates are recognised by the aggregate's last applied sequence number.
 *
 * <p>Error model: an outage is retried forever; a poll that fails otherwise is applied record by
 * record after a few attempts and the record at fault is parked
 * ({@link dev.keyledger.query.projection.Parking}), a revocation or expiry always with its tombstone;
 * unreadable records are skipped and counted. {@link dev.keyledger.query.projection.Rebuild}
 * replays from offset 0 into shadow tables on its own thread while the live projection serves, swaps
 * the result in and publishes it as a snapshot, and refuses rather than revoke when records are
 * missing. Everything but the lifecycle, the rebuild request and its status runs on those two threads.
 */
package dev.keyledger.query.projection;
