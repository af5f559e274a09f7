package dev.keyledger.contracts.usage;

import java.util.List;

/**
 * The value of a record on {@code keyledger.key-usage}: the requests one edge answered over a
 * stretch of its spool, aggregated per key, minute and outcome ({@link UsageCount}). Encoded by
 * {@link UsageReportCodec} (binary, not JSON: a report holds thousands of rows).
 *
 * <p>{@code sequence} numbers the reports of one edge instance; it only grows, and a report sent
 * again after a crash carries the same sequence and the same rows. The query-service keeps the
 * highest sequence it applied per edge instance and partition, in the same transaction as the
 * counters, and skips a report at or below it: that is what makes a re-sent report count once
 * (docs/decisions/0008-edge-usage-spool.md). The record key is {@code edgeInstance}; the edge
 * picks the partition from the key ids of the rows, so every row of a key lands on one partition.
 *
 * @param edgeInstance stable id of the edge's spool (kept in its spool directory)
 * @param sequence per-instance report number, from 1
 * @param spoolFrom first spool position the report covers (segment in the high 32 bits, slot in the low)
 * @param spoolTo spool position after the last one the report covers
 * @param rows the counts, at most {@link UsageReportCodec#MAX_ROWS}
 */
public record UsageReport(String edgeInstance, long sequence, long spoolFrom, long spoolTo, List<UsageCount> rows) {

    public UsageReport {
        rows = List.copyOf(rows);
    }
}
