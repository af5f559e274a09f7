package dev.keyledger.query.usage;

import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One poll of usage report rows ({@link UsageCount}: one key, one minute, counts per outcome, as
 * an edge aggregated them) folded into the rows it changes: per key the accepted and rejected
 * counts and the latest accepted time, per key and bucket the accepted and rejected counts. The
 * store adds these to the stored rows, so the database sees one row per key and bucket per poll
 * however many records the poll held. Not thread safe: owned by the projection thread.
 *
 * <p>Everything of a key hangs off its one {@link KeyTotals}, found with one hash lookup per row:
 * a transaction covers a few seconds, so a key has one minute, hour and day bucket in nearly every
 * one, and those are kept in its fields; a second bucket of the same length (a transaction across
 * a minute boundary, or a row an edge re-sent late) goes to a small sorted map.
 */
final class UsageBatch {

    static final long MINUTE = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;

    private static final UsageOutcome[] OUTCOMES = UsageOutcome.values();

    /** Bucket lengths, as {@link KeyTotals} indexes them. */
    static final int MINUTES = 0;

    static final int HOURS = 1;
    static final int DAYS = 2;

    /**
     * Accepted and rejected requests plus the latest accepted time of one key in this poll, and its
     * buckets: the first bucket of each length in fields of its own (no object per bucket), any
     * further ones of that length in a sorted map. About 240 bytes per key with its map entry and
     * a 30-character key id (238 B measured at 768,000 keys, 183 MB; 370 B before the buckets
     * moved into these fields).
     */
    static final class KeyTotals {
        final String organizationId;
        long accepted;
        long rejected;
        private long lastUsedMillis;
        private boolean used;
        private byte present;
        private long minuteStart;
        private long minuteAccepted;
        private long minuteRejected;
        private long hourStart;
        private long hourAccepted;
        private long hourRejected;
        private long dayStart;
        private long dayAccepted;
        private long dayRejected;
        private TreeMap<Long, Counts> moreMinutes;
        private TreeMap<Long, Counts> moreHours;
        private TreeMap<Long, Counts> moreDays;

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

        /** Adds to this key's bucket of {@code length} that starts at {@code start}; 1 when that made a new bucket. */
        int add(int length, long start, long accepted, long rejected) {
            int bit = 1 << length;
            if ((present & bit) == 0) {
                present |= (byte) bit;
                switch (length) {
                    case MINUTES -> minuteStart = start;
                    case HOURS -> hourStart = start;
                    default -> dayStart = start;
                }
                addFirst(length, accepted, rejected);
                return 1;
            }
            if (firstStart(length) == start) {
                addFirst(length, accepted, rejected);
                return 0;
            }
            TreeMap<Long, Counts> more = more(length);
            Counts counts = more.get(start);
            int made = 0;
            if (counts == null) {
                counts = new Counts();
                more.put(start, counts);
                made = 1;
            }
            counts.accepted += accepted;
            counts.rejected += rejected;
            return made;
        }

        /** Buckets of {@code length} this key has in the poll. */
        int size(int length) {
            if ((present & (1 << length)) == 0) {
                return 0;
            }
            TreeMap<Long, Counts> more = moreOrNull(length);
            return 1 + (more == null ? 0 : more.size());
        }

        /** Hands every bucket of {@code length} to {@code sink}, in start order. */
        void forEach(int length, BucketSink sink) {
            if ((present & (1 << length)) == 0) {
                return;
            }
            long start = firstStart(length);
            long accepted = firstAccepted(length);
            long rejected = firstRejected(length);
            TreeMap<Long, Counts> more = moreOrNull(length);
            if (more == null) {
                sink.accept(start, accepted, rejected);
                return;
            }
            boolean firstDone = false;
            for (Map.Entry<Long, Counts> entry : more.entrySet()) {
                if (!firstDone && start < entry.getKey()) {
                    sink.accept(start, accepted, rejected);
                    firstDone = true;
                }
                sink.accept(entry.getKey(), entry.getValue().accepted, entry.getValue().rejected);
            }
            if (!firstDone) {
                sink.accept(start, accepted, rejected);
            }
        }

        private void addFirst(int length, long accepted, long rejected) {
            switch (length) {
                case MINUTES -> {
                    minuteAccepted += accepted;
                    minuteRejected += rejected;
                }
                case HOURS -> {
                    hourAccepted += accepted;
                    hourRejected += rejected;
                }
                default -> {
                    dayAccepted += accepted;
                    dayRejected += rejected;
                }
            }
        }

        private long firstStart(int length) {
            return switch (length) {
                case MINUTES -> minuteStart;
                case HOURS -> hourStart;
                default -> dayStart;
            };
        }

        private long firstAccepted(int length) {
            return switch (length) {
                case MINUTES -> minuteAccepted;
                case HOURS -> hourAccepted;
                default -> dayAccepted;
            };
        }

        private long firstRejected(int length) {
            return switch (length) {
                case MINUTES -> minuteRejected;
                case HOURS -> hourRejected;
                default -> dayRejected;
            };
        }

        private TreeMap<Long, Counts> moreOrNull(int length) {
            return switch (length) {
                case MINUTES -> moreMinutes;
                case HOURS -> moreHours;
                default -> moreDays;
            };
        }

        private TreeMap<Long, Counts> more(int length) {
            TreeMap<Long, Counts> more = moreOrNull(length);
            if (more == null) {
                more = new TreeMap<>();
                switch (length) {
                    case MINUTES -> moreMinutes = more;
                    case HOURS -> moreHours = more;
                    default -> moreDays = more;
                }
            }
            return more;
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

    private final long minuteCutoff;
    private final long hourCutoff;
    private final Map<String, KeyTotals> keys = new HashMap<>();
    // One String per organization, not one per key: a poll's keys belong to few organizations.
    private final Map<String, String> organizations = new HashMap<>();
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
            String organization = organizations.putIfAbsent(row.organizationId(), row.organizationId());
            totals = new KeyTotals(organization == null ? row.organizationId() : organization);
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
            minuteBuckets += totals.add(MINUTES, minute, accepted, rejected);
        }
        if (hour >= hourCutoff) {
            hourBuckets += totals.add(HOURS, hour, accepted, rejected);
        }
        dayBuckets += totals.add(DAYS, minute - Math.floorMod(minute, DAY), accepted, rejected);
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

    Map<String, KeyTotals> keys() {
        return keys;
    }

    /** Minute buckets of the poll, for tests and logs (the store walks the keys instead). */
    Map<Bucket, Counts> minutes() {
        return buckets(MINUTES);
    }

    /** Hour buckets of the poll, for tests and logs. */
    Map<Bucket, Counts> hours() {
        return buckets(HOURS);
    }

    /** Day buckets of the poll, for tests and logs. */
    Map<Bucket, Counts> days() {
        return buckets(DAYS);
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

    private Map<Bucket, Counts> buckets(int length) {
        Map<Bucket, Counts> all = new HashMap<>();
        keys.forEach((keyId, totals) -> totals.forEach(length, (start, accepted, rejected) -> {
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
