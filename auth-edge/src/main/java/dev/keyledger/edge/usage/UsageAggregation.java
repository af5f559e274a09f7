package dev.keyledger.edge.usage;

import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.contracts.usage.UsageReportCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;

/**
 * Spool records folded per key, minute and outcome, then cut into {@link UsageReport}s. The cut
 * is a pure function of the records, the partition count and the first sequence (rows sorted by
 * partition, key id and minute, at most {@link UsageReportCodec#MAX_ROWS} per report, sequences
 * in that order), so a batch sent again after a crash is the same reports with the same numbers.
 */
final class UsageAggregation implements UsageSpool.Visitor {

    /** A report and the partition it goes to. */
    record Addressed(int partition, UsageReport report) {}

    private static final class Counts {
        final int[] byOutcome = new int[UsageOutcome.values().length];
        long lastAccepted;
        long last;
    }

    private static final class KeyRows {
        final String keyId;
        final String organizationId;
        final TreeMap<Long, Counts> minutes = new TreeMap<>();

        KeyRows(String keyId, String organizationId) {
            this.keyId = keyId;
            this.organizationId = organizationId;
        }
    }

    private final Map<String, KeyRows> keys = new HashMap<>();
    private SpoolSegment cachedSegment;
    private final Map<Integer, KeyRows> byRef = new HashMap<>();
    private long records;
    private long unresolved;

    @Override
    public void record(SpoolSegment segment, int ref, UsageOutcome outcome, long millis) {
        if (segment != cachedSegment) {
            cachedSegment = segment;
            byRef.clear();
        }
        KeyRows rows = byRef.get(ref);
        if (rows == null) {
            String[] entry = segment.entry(ref);
            if (entry == null) {
                unresolved++;
                return;
            }
            rows = keys.computeIfAbsent(entry[0] + '\u0000' + entry[1], k -> new KeyRows(entry[0], entry[1]));
            byRef.put(ref, rows);
        }
        long minute = Math.floorDiv(millis, 60_000L) * 60;
        Counts counts = rows.minutes.computeIfAbsent(minute, m -> new Counts());
        counts.byOutcome[outcome.ordinal()]++;
        if (outcome == UsageOutcome.ACCEPTED) {
            counts.lastAccepted = Math.max(counts.lastAccepted, millis);
        }
        counts.last = Math.max(counts.last, millis);
        records++;
    }

    long records() {
        return records;
    }

    /** Records whose key could not be read from the segment's dictionary (a damaged file). */
    long unresolved() {
        return unresolved;
    }

    int rows() {
        int rows = 0;
        for (KeyRows key : keys.values()) {
            rows += key.minutes.size();
        }
        return rows;
    }

    static int partition(String keyId, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The reports, in sequence order from {@code firstSequence}. */
    List<Addressed> reports(String instance, long firstSequence, long from, long to, int partitions) {
        List<List<KeyRows>> byPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (KeyRows key : keys.values()) {
            byPartition.get(partition(key.keyId, partitions)).add(key);
        }
        List<Addressed> reports = new ArrayList<>();
        long sequence = firstSequence;
        for (int p = 0; p < partitions; p++) {
            List<KeyRows> partitionKeys = byPartition.get(p);
            partitionKeys.sort((a, b) -> {
                int byKey = a.keyId.compareTo(b.keyId);
                return byKey != 0 ? byKey : a.organizationId.compareTo(b.organizationId);
            });
            List<UsageCount> chunk = new ArrayList<>();
            for (KeyRows key : partitionKeys) {
                for (Map.Entry<Long, Counts> minute : key.minutes.entrySet()) {
                    Counts c = minute.getValue();
                    chunk.add(new UsageCount(
                            key.keyId,
                            key.organizationId,
                            minute.getKey(),
                            c.byOutcome[UsageOutcome.ACCEPTED.ordinal()],
                            c.byOutcome[UsageOutcome.RATE_LIMITED.ordinal()],
                            c.byOutcome[UsageOutcome.FORBIDDEN.ordinal()],
                            c.byOutcome[UsageOutcome.UNAVAILABLE.ordinal()],
                            c.lastAccepted,
                            c.last));
                    if (chunk.size() == UsageReportCodec.MAX_ROWS) {
                        reports.add(new Addressed(p, new UsageReport(instance, sequence++, from, to, chunk)));
                        chunk = new ArrayList<>();
                    }
                }
            }
            if (!chunk.isEmpty()) {
                reports.add(new Addressed(p, new UsageReport(instance, sequence++, from, to, chunk)));
            }
        }
        return reports;
    }
}
