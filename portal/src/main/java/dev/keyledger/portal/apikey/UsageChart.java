package dev.keyledger.portal.apikey;

import dev.keyledger.portal.api.Models.UsageBucket;
import java.util.List;

/**
 * A key's usage buckets with the bar heights of a small server-rendered SVG chart (accepted and
 * rejected requests side by side), scaled to the largest bucket.
 */
public record UsageChart(List<Bar> bars, long maximum, long accepted, long rejected) {

    static final int HEIGHT = 100;

    /** One bucket and the heights of its two bars, in SVG units out of {@link #HEIGHT}. */
    public record Bar(UsageBucket bucket, int x, int acceptedHeight, int rejectedHeight) {}

    public static UsageChart of(List<UsageBucket> buckets) {
        long maximum = buckets.stream()
                .mapToLong(b -> Math.max(b.requests(), b.rejected()))
                .max()
                .orElse(0);
        List<Bar> bars = new java.util.ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            UsageBucket bucket = buckets.get(i);
            bars.add(new Bar(bucket, i * 10, scale(bucket.requests(), maximum), scale(bucket.rejected(), maximum)));
        }
        return new UsageChart(
                List.copyOf(bars),
                maximum,
                buckets.stream().mapToLong(UsageBucket::requests).sum(),
                buckets.stream().mapToLong(UsageBucket::rejected).sum());
    }

    public int width() {
        return Math.max(10, bars.size() * 10);
    }

    private static int scale(long value, long maximum) {
        return maximum == 0 ? 0 : (int) Math.round(value * (double) HEIGHT / maximum);
    }
}
