/**
 * Usage records the edge writes to {@code keyledger.key-usage} and the query-service consumes:
 * {@link dev.keyledger.contracts.usage.UsageReport}s, each the requests of a stretch of one edge's
 * spool aggregated per key, minute and outcome, in the binary form of
 * {@link dev.keyledger.contracts.usage.UsageReportCodec}.
 */
package dev.keyledger.contracts.usage;
