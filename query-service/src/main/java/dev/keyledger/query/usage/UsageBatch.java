package dev.keyledger.query.usage;

import dev.keyledger.contracts.usage.KeyUsageEvent;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One poll of usage records folded into the rows it changes: per key the accepted and rejected
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
    private long[] occurredMillis = new long[256];
    private int events;

    /**
     * Minute buckets that start before {@code minuteCutoff} (hour buckets before
     * {@code hourCutoff}) are not written: retention would delete them at once. The events still
     * count in the key totals and the longer buckets.
     */
    UsageBatch(Instant minuteCutoff, Instant hourCutoff) {
        this.minuteCutoff = minuteCutoff.getEpochSecond();
        this.hourCutoff = hourCutoff.getEpochSecond();
    }

    /** False when the event lacks a field the counters need; nothing is counted then. */
    boolean add(KeyUsageEvent event) {
        if (event == null
                || event.keyId() == null
                || event.organizationId() == null
                || event.occurredAt() == null
                || event.outcome() == null) {
            return false;
        }
        boolean accepted = event.outcome() == UsageOutcome.ACCEPTED;
        KeyTotals totals = keys.computeIfAbsent(event.keyId(), id -> new KeyTotals(event.organizationId()));
        if (accepted) {
            totals.accepted++;
            if (totals.lastUsedAt == null || event.occurredAt().isAfter(totals.lastUsedAt)) {
                totals.lastUsedAt = event.occurredAt();
            }
        } else {
            totals.rejected++;
        }
        long second = event.occurredAt().getEpochSecond();
        long minute = second - Math.floorMod(second, MINUTE);
        long hour = second - Math.floorMod(second, HOUR);
        if (minute >= minuteCutoff) {
            count(minutes, event.keyId(), minute, accepted);
        }
        if (hour >= hourCutoff) {
            count(hours, event.keyId(), hour, accepted);
        }
        count(days, event.keyId(), second - Math.floorMod(second, DAY), accepted);
        outcomes.merge(event.outcome(), 1L, Long::sum);
        if (events == occurredMillis.length) {
            occurredMillis = Arrays.copyOf(occurredMillis, events * 2);
        }
        occurredMillis[events++] = event.occurredAt().toEpochMilli();
        return true;
    }

    private static void count(Map<Bucket, Counts> buckets, String keyId, long start, boolean accepted) {
        Counts counts = buckets.computeIfAbsent(new Bucket(keyId, start), bucket -> new Counts());
        if (accepted) {
            counts.accepted++;
        } else {
            counts.rejected++;
        }
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

    int events() {
        return events;
    }

    /** The {@code occurred_at} of the {@code i}-th counted event, in epoch milliseconds. */
    long occurredMillis(int i) {
        return occurredMillis[i];
    }
}
