/**
 * Projections of {@code keyledger.key-events}: organizations, databases, API keys and the audit log
 * (which is also the per-key history), in PostgreSQL tables owned by Flyway. One thread
 * ({@link dev.keyledger.query.projection.ProjectionRunner}) consumes every partition; each poll is
 * one transaction holding the rows, the consumer positions and the acknowledged active-key records.
 * Duplicates are recognised by the aggregate's last applied sequence number. Failures roll the poll
 * back and retry it; unreadable records are skipped and counted. Rebuild drops everything and replays
 * from offset 0, then publishes the changelog once as a snapshot.
 */
package dev.keyledger.query.projection;
