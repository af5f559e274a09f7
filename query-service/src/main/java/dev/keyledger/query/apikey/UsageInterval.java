package dev.keyledger.query.apikey;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A bucket width of the usage endpoint, its table and the range served when {@code from} is
 * absent. At most {@value #MAX_BUCKETS} buckets per request (seven days of minutes).
 */
enum UsageInterval {
    MINUTE("key_usage_minutes", Duration.ofMinutes(1), Duration.ofHours(1)),
    HOUR("key_usage_hours", Duration.ofHours(1), Duration.ofDays(1)),
    DAY("key_usage_days", Duration.ofDays(1), Duration.ofDays(30));

    static final long MAX_BUCKETS = 10_080;

    private final String table;
    private final Duration width;
    private final Duration defaultRange;

    UsageInterval(String table, Duration width, Duration defaultRange) {
        this.table = table;
        this.width = width;
        this.defaultRange = defaultRange;
    }

    static UsageInterval of(String name) {
        return name == null ? HOUR : valueOf(name.toUpperCase(Locale.ROOT));
    }

    String table() {
        return table;
    }

    Duration defaultRange() {
        return defaultRange;
    }

    /** The start of the bucket holding {@code instant} (fixed UTC windows). */
    Instant truncate(Instant instant) {
        long seconds = width.toSeconds();
        long epoch = instant.getEpochSecond();
        return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, seconds));
    }

    /** How many buckets start in {@code [from, to)} when {@code from} is a bucket start. */
    long buckets(Instant from, Instant to) {
        long seconds = width.toSeconds();
        return Math.ceilDiv(Duration.between(from, to).toSeconds(), seconds);
    }
}
