/**
 * Usage metering: projects {@code keyledger.key-usage} into per-key counters and minute, hour and
 * day buckets, exactly once. One thread ({@link dev.keyledger.query.usage.UsageProjectionRunner})
 * is assigned every partition; each poll is aggregated in memory and written in one PostgreSQL
 * transaction together with the consumer positions ({@code usage_offsets}), which are the only
 * record of progress: on start and after any failure the consumer seeks to them, so a record is
 * counted once whether the process crashes before or after the commit. Unreadable records are
 * skipped, logged and counted; any other failure rolls the poll back and retries it. Retention
 * ({@link dev.keyledger.query.usage.UsageRetention}) deletes old minute and hour buckets on its own
 * thread; it touches only rows the projection no longer writes.
 */
package dev.keyledger.query.usage;
