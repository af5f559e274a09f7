package dev.keyledger.query.usage;

import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One poll of usage report rows ({@link UsageCount}: one key, one minute, counts per outcome, as
 * an edge aggregated them) folded into the rows it changes: per key the accepted and rejected
 * counts and the latest accepted time, per key and bucket the accepted and rejected counts. The
 * store adds these to the stored rows, so the database sees one row per key and bucket per poll
 * however many records the poll held. Not thread safe: owned by the projection thread.
 */
final class UsageBatch {

    static final long MINUTE = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;

    /** Accepted and rejected requests plus the latest accepted time of one key in this poll. */
    static final class KeyTotals {
        final String organizationId;
        long accepted;
        long rejected;
        Instant lastUsedAt;

        KeyTotals(String organizationId) {
            this.organizationId = organizationId;
        }
    }

    /** Accepted and rejected requests of one key in one bucket. */
    static final class Counts {
        long accepted;
        long rejected;
    }

    /** A bucket of one key; {@code start} is in epoch seconds. */
    record Bucket(String keyId, long start) {}

    private final long minuteCutoff;
    private final long hourCutoff;
    private final Map<String, KeyTotals> keys = new HashMap<>();
    private final Map<Bucket, Counts> minutes = new HashMap<>();
    private final Map<Bucket, Counts> hours = new HashMap<>();
    private final Map<Bucket, Counts> days = new HashMap<>();
    private final EnumMap<UsageOutcome, Long> outcomes = new EnumMap<>(UsageOutcome.class);
    private long[] lastMillis = new long[256];
    private int rowCount;
    private long events;

    /**
     * Minute buckets that start before {@code minuteCutoff} (hour buckets before
     * {@code hourCutoff}) are not written: retention would delete them at once. The events still
     * count in the key totals and the longer buckets.
     */
    UsageBatch(Instant minuteCutoff, Instant hourCutoff) {
        this.minuteCutoff = minuteCutoff.getEpochSecond();
        this.hourCutoff = hourCutoff.getEpochSecond();
    }

    /** False when the row lacks a field the counters need; nothing is counted then. */
    boolean add(UsageCount row) {
        if (row == null || row.keyId() == null || row.organizationId() == null || row.total() <= 0) {
            return false;
        }
        long accepted = row.accepted();
        long rejected = row.rejected();
        KeyTotals totals = keys.computeIfAbsent(row.keyId(), id -> new KeyTotals(row.organizationId()));
        totals.accepted += accepted;
        totals.rejected += rejected;
        if (accepted > 0) {
            Instant last = Instant.ofEpochMilli(row.lastAcceptedMillis());
            if (totals.lastUsedAt == null || last.isAfter(totals.lastUsedAt)) {
                totals.lastUsedAt = last;
            }
        }
        long minute = row.minute() - Math.floorMod(row.minute(), MINUTE);
        long hour = minute - Math.floorMod(minute, HOUR);
        if (minute >= minuteCutoff) {
            count(minutes, row.keyId(), minute, accepted, rejected);
        }
        if (hour >= hourCutoff) {
            count(hours, row.keyId(), hour, accepted, rejected);
        }
        count(days, row.keyId(), minute - Math.floorMod(minute, DAY), accepted, rejected);
        for (UsageOutcome outcome : UsageOutcome.values()) {
            int n = row.count(outcome);
            if (n > 0) {
                outcomes.merge(outcome, (long) n, Long::sum);
            }
        }
        if (rowCount == lastMillis.length) {
            lastMillis = Arrays.copyOf(lastMillis, rowCount * 2);
        }
        lastMillis[rowCount++] = row.lastMillis();
        events += row.total();
        return true;
    }

    private static void count(Map<Bucket, Counts> buckets, String keyId, long start, long accepted, long rejected) {
        Counts counts = buckets.computeIfAbsent(new Bucket(keyId, start), bucket -> new Counts());
        counts.accepted += accepted;
        counts.rejected += rejected;
    }

    Map<String, KeyTotals> keys() {
        return keys;
    }

    Map<Bucket, Counts> minutes() {
        return minutes;
    }

    Map<Bucket, Counts> hours() {
        return hours;
    }

    Map<Bucket, Counts> days() {
        return days;
    }

    Map<UsageOutcome, Long> outcomes() {
        return outcomes;
    }

    /** Requests counted (the rows' totals). */
    long events() {
        return events;
    }

    /** Rows counted. */
    int rows() {
        return rowCount;
    }

    /** The latest request time of the {@code i}-th counted row, in epoch milliseconds. */
    long lastMillis(int i) {
        return lastMillis[i];
    }
}
