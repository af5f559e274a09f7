package dev.keyledger.portal.apikey;

import dev.keyledger.portal.api.Models.UsageBucket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's usage buckets with the bar heights of a small server-rendered SVG chart (accepted and
 * rejected requests side by side), scaled to the largest bucket.
 */
public record UsageChart(List<Bar> bars, long maximum, long accepted, long rejected) {

    static final int HEIGHT = 100;
    /** More than a day of hours or a month of days; bounds the page whatever the range. */
    static final int MAX_BARS = 64;

    /** One bucket and the heights of its two bars, in SVG units out of {@link #HEIGHT}. */
    public record Bar(UsageBucket bucket, int x, int acceptedHeight, int rejectedHeight) {}

    /**
     * The chart of {@code [from, to)} in steps of {@code step}: every step gets a bar, those the
     * usage API did not return (no requests) with zero height, so the time axis is even.
     */
    public static UsageChart of(List<UsageBucket> returned, Instant from, Instant to, ChronoUnit step) {
        Map<Instant, UsageBucket> byStart = new HashMap<>();
        returned.forEach(bucket -> byStart.put(bucket.start(), bucket));
        List<UsageBucket> buckets = new ArrayList<>();
        Instant start = from.truncatedTo(step);
        while (start.isBefore(to) && buckets.size() < MAX_BARS) {
            buckets.add(byStart.getOrDefault(start, new UsageBucket(start, 0, 0)));
            start = start.plus(1, step);
        }
        long maximum = buckets.stream()
                .mapToLong(b -> Math.max(b.requests(), b.rejected()))
                .max()
                .orElse(0);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            UsageBucket bucket = buckets.get(i);
            bars.add(new Bar(bucket, i * 10, scale(bucket.requests(), maximum), scale(bucket.rejected(), maximum)));
        }
        return new UsageChart(
                List.copyOf(bars),
                maximum,
                returned.stream().mapToLong(UsageBucket::requests).sum(),
                returned.stream().mapToLong(UsageBucket::rejected).sum());
    }

    public int width() {
        return Math.max(10, bars.size() * 10);
    }

    private static int scale(long value, long maximum) {
        return maximum == 0 ? 0 : (int) Math.round(value * (double) HEIGHT / maximum);
    }
}
