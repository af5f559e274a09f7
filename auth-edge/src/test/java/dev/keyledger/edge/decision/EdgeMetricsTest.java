package dev.keyledger.edge.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The decision-latency histogram as Prometheus scrapes it: buckets from a quarter of a
 * microsecond, round boundaries at 1 µs, 10 µs, 100 µs and 1 ms, and a microsecond decision
 * counted below 1 µs rather than in a millisecond bucket.
 */
class EdgeMetricsTest {

    private static final Pattern BUCKET =
            Pattern.compile("^keyledger_edge_decision_seconds_bucket\\{le=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE);

    @Test
    void decisionLatencyBucketsReachDownToTheMicrosecondsADecisionTakes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EdgeMetrics metrics = new EdgeMetrics(registry);

        metrics.record(Verdict.MISSING, 900);
        metrics.record(Verdict.MISSING, 5_000);
        metrics.record(Verdict.UNKNOWN, 2_000_000);

        Map<String, Double> buckets = buckets(registry.scrape());
        assertThat(buckets.keySet()).first().isEqualTo("2.5E-7");
        assertThat(buckets).containsKeys("1.0E-6", "1.0E-5", "1.0E-4", "0.001", "10.0", "+Inf");
        assertThat(buckets.keySet().stream().filter(le -> !le.equals("+Inf")).mapToDouble(Double::parseDouble))
                .allMatch(le -> le >= 2.5e-7 && le <= 10.0);
        assertThat(buckets.get("2.5E-7")).isZero();
        assertThat(buckets.get("1.0E-6")).as("the 0.9 µs decision").isEqualTo(1.0);
        assertThat(buckets.get("1.0E-5")).isEqualTo(2.0);
        assertThat(buckets.get("0.001")).isEqualTo(2.0);
        assertThat(buckets.get("+Inf")).isEqualTo(3.0);
    }

    /** le -> cumulative count, in the order of the scrape (ascending). */
    private static Map<String, Double> buckets(String scrape) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        Matcher matcher = BUCKET.matcher(scrape);
        while (matcher.find()) {
            buckets.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        assertThat(buckets).as(scrape).isNotEmpty();
        return buckets;
    }
}
