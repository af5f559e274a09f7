package dev.keyledger.query.organizationusage;

import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * The range and bucket width of one organization usage request: {@code interval} {@code hour} or
 * {@code day} (default), {@code to} (exclusive, default now), {@code from} (inclusive, default one
 * day (hour) or thirty days (day) before {@code to}) widened to the start of its bucket. A range
 * longer than {@link Interval#maxRange()} (31 days of hours, 366 days of days) is a 400 on
 * {@code from}.
 */
record UsageWindow(Interval interval, Instant from, Instant to) {

    private static final Set<String> INTERVALS = Set.of("hour", "day");

    /** A bucket width, its table, the default range and the longest range one request may ask for. */
    enum Interval {
        HOUR("key_usage_hours", Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(31)),
        DAY("key_usage_days", Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(366));

        private final String table;
        private final Duration width;
        private final Duration defaultRange;
        private final Duration maxRange;

        Interval(String table, Duration width, Duration defaultRange, Duration maxRange) {
            this.table = table;
            this.width = width;
            this.defaultRange = defaultRange;
            this.maxRange = maxRange;
        }

        String table() {
            return table;
        }

        Duration maxRange() {
            return maxRange;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The start of the fixed UTC bucket holding {@code instant}. */
        Instant truncate(Instant instant) {
            long seconds = width.toSeconds();
            long epoch = instant.getEpochSecond();
            return Instant.ofEpochSecond(epoch - Math.floorMod(epoch, seconds));
        }
    }

    /** Parses the three query parameters, or throws a 400 naming the first bad one. */
    static UsageWindow parse(String from, String to, String interval, Instant now) {
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        String name = QueryParameters.oneOf("interval", interval, INTERVALS);
        Interval width = name == null ? Interval.DAY : Interval.valueOf(name.toUpperCase(Locale.ROOT));
        if (end == null) {
            end = now;
        }
        if (start == null) {
            start = end.minus(width.defaultRange);
        }
        if (start.isAfter(end)) {
            // Only a defaulted "to" (now) can fall before an explicit "from".
            throw ApiException.badRequest("from", "must not be after to");
        }
        start = width.truncate(start);
        if (Duration.between(start, end).compareTo(width.maxRange) > 0) {
            throw ApiException.badRequest(
                    "from",
                    "the range is longer than " + width.maxRange.toDays() + " days, the most one request of interval "
                            + width.wireName() + " may cover; narrow it or use a wider interval");
        }
        return new UsageWindow(width, start, end);
    }
}
