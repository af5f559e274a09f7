package dev.keyledger.query.usage;

import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One poll of usage report rows ({@link UsageCount}: one key, one minute, counts per outcome, as
 * an edge aggregated them) folded into the rows it changes: per key the accepted and rejected
 * counts and the latest accepted time, per key and bucket the accepted and rejected counts. The
 * store adds these to the stored rows, so the database sees one row per key and bucket per poll
 * however many records the poll held. Not thread safe: owned by the projection thread.
 *
 * <p>Everything of a key hangs off its one {@link KeyTotals}, found with one hash lookup per row:
 * a poll covers a few seconds, so a key has one minute, hour and day bucket in nearly every poll,
 * and those are kept inline; a second bucket of the same length (a poll across a minute boundary,
 * or a row an edge re-sent late) goes to a small sorted map.
 */
final class UsageBatch {

    static final long MINUTE = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;

    private static final UsageOutcome[] OUTCOMES = UsageOutcome.values();

    /** Accepted and rejected requests plus the latest accepted time of one key in this poll, and its buckets. */
    static final class KeyTotals {
        final String organizationId;
        long accepted;
        long rejected;
        private long lastUsedMillis;
        private boolean used;
        final Buckets minutes = new Buckets();
        final Buckets hours = new Buckets();
        final Buckets days = new Buckets();

        KeyTotals(String organizationId) {
            this.organizationId = organizationId;
        }

        /** The latest accepted request of this key in the poll, or {@code null} when none was accepted. */
        Instant lastUsedAt() {
            return used ? Instant.ofEpochMilli(lastUsedMillis) : null;
        }

        boolean used() {
            return used;
        }

        long lastUsedMillis() {
            return lastUsedMillis;
        }
    }

    /** Accepted and rejected requests of one key in one bucket. */
    static final class Counts {
        long accepted;
        long rejected;
    }

    /** A bucket of one key; {@code start} is in epoch seconds. */
    record Bucket(String keyId, long start) {}

    /** Receives a key's buckets of one length in start order. */
    interface BucketSink {
        void accept(long start, long accepted, long rejected);
    }

    /** The buckets of one length of one key: the first inline, any further ones by start. */
    static final class Buckets {
        private boolean any;
        private long start;
        private long accepted;
        private long rejected;
        private TreeMap<Long, Counts> more;

        void add(long bucketStart, long accepted, long rejected) {
            if (!any || bucketStart == start) {
                any = true;
                start = bucketStart;
                this.accepted += accepted;
                this.rejected += rejected;
                return;
            }
            if (more == null) {
                more = new TreeMap<>();
            }
            Counts counts = more.computeIfAbsent(bucketStart, s -> new Counts());
            counts.accepted += accepted;
            counts.rejected += rejected;
        }

        int size() {
            return any ? 1 + (more == null ? 0 : more.size()) : 0;
        }

        /** Hands every bucket to {@code sink}, in start order. */
        void forEach(BucketSink sink) {
            if (!any) {
                return;
            }
            if (more == null) {
                sink.accept(start, accepted, rejected);
                return;
            }
            boolean inlineDone = false;
            for (Map.Entry<Long, Counts> entry : more.entrySet()) {
                if (!inlineDone && start < entry.getKey()) {
                    sink.accept(start, accepted, rejected);
                    inlineDone = true;
                }
                sink.accept(entry.getKey(), entry.getValue().accepted, entry.getValue().rejected);
            }
            if (!inlineDone) {
                sink.accept(start, accepted, rejected);
            }
        }
    }

    private final long minuteCutoff;
    private final long hourCutoff;
    private final Map<String, KeyTotals> keys = new HashMap<>();
    private final long[] outcomes = new long[OUTCOMES.length];
    private long[] lastMillis = new long[256];
    private int rowCount;
    private long events;
    private int minuteBuckets;
    private int hourBuckets;
    private int dayBuckets;

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
        KeyTotals totals = keys.get(row.keyId());
        if (totals == null) {
            totals = new KeyTotals(row.organizationId());
            keys.put(row.keyId(), totals);
        }
        totals.accepted += accepted;
        totals.rejected += rejected;
        if (accepted > 0 && (!totals.used || row.lastAcceptedMillis() > totals.lastUsedMillis)) {
            totals.used = true;
            totals.lastUsedMillis = row.lastAcceptedMillis();
        }
        long minute = row.minute() - Math.floorMod(row.minute(), MINUTE);
        long hour = minute - Math.floorMod(minute, HOUR);
        if (minute >= minuteCutoff) {
            minuteBuckets += count(totals.minutes, minute, accepted, rejected);
        }
        if (hour >= hourCutoff) {
            hourBuckets += count(totals.hours, hour, accepted, rejected);
        }
        dayBuckets += count(totals.days, minute - Math.floorMod(minute, DAY), accepted, rejected);
        for (UsageOutcome outcome : OUTCOMES) {
            outcomes[outcome.ordinal()] += row.count(outcome);
        }
        if (rowCount == lastMillis.length) {
            lastMillis = Arrays.copyOf(lastMillis, rowCount * 2);
        }
        lastMillis[rowCount++] = row.lastMillis();
        events += row.total();
        return true;
    }

    /** Adds to the bucket and returns 1 when that made a new one, else 0. */
    private static int count(Buckets buckets, long start, long accepted, long rejected) {
        int before = buckets.size();
        buckets.add(start, accepted, rejected);
        return buckets.size() - before;
    }

    Map<String, KeyTotals> keys() {
        return keys;
    }

    /** Minute buckets of the poll, for tests and logs (the store walks the keys instead). */
    Map<Bucket, Counts> minutes() {
        return buckets(totals -> totals.minutes);
    }

    /** Hour buckets of the poll, for tests and logs. */
    Map<Bucket, Counts> hours() {
        return buckets(totals -> totals.hours);
    }

    /** Day buckets of the poll, for tests and logs. */
    Map<Bucket, Counts> days() {
        return buckets(totals -> totals.days);
    }

    int minuteBuckets() {
        return minuteBuckets;
    }

    int hourBuckets() {
        return hourBuckets;
    }

    int dayBuckets() {
        return dayBuckets;
    }

    private Map<Bucket, Counts> buckets(Function<KeyTotals, Buckets> length) {
        Map<Bucket, Counts> all = new HashMap<>();
        keys.forEach((keyId, totals) -> length.apply(totals).forEach((start, accepted, rejected) -> {
            Counts counts = new Counts();
            counts.accepted = accepted;
            counts.rejected = rejected;
            all.put(new Bucket(keyId, start), counts);
        }));
        return all;
    }

    /** Requests per outcome, only the outcomes that occurred. */
    Map<UsageOutcome, Long> outcomes() {
        EnumMap<UsageOutcome, Long> result = new EnumMap<>(UsageOutcome.class);
        for (UsageOutcome outcome : OUTCOMES) {
            if (outcomes[outcome.ordinal()] > 0) {
                result.put(outcome, outcomes[outcome.ordinal()]);
            }
        }
        return result;
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
