package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The one place that counts key checks. Counters are created up front for every (outcome, key type)
 * pair, so recording is an array index, and labels stay bounded: never a key id.
 */
public final class EdgeMetrics {

    private static final String[] KEY_TYPES = {"none", "secret", "public"};

    /**
     * A decision takes about a microsecond, so the histogram starts at a quarter of one (Micrometer's
     * default, 1 ms, put every decision in the first bucket and a p50 panel read half of it). It
     * ends at 10 s, past every bounded wait on the Redis limiter; slower is {@code +Inf}.
     */
    static final Duration DECISION_MIN = Duration.ofNanos(250);

    static final Duration DECISION_MAX = Duration.ofSeconds(10);

    /** Round boundaries among Micrometer's generated ones, so a share under 1 µs, 10 µs... is exact. */
    static final Duration[] DECISION_SLOS = {
        Duration.ofNanos(1_000), Duration.ofNanos(10_000), Duration.ofNanos(100_000), Duration.ofMillis(1)
    };

    private final Counter[][] verifications;
    private final Counter rateLimitRejections;
    private final Timer decisionLatency;

    public EdgeMetrics(MeterRegistry registry) {
        Outcome[] outcomes = Outcome.values();
        verifications = new Counter[outcomes.length][KEY_TYPES.length];
        for (Outcome outcome : outcomes) {
            for (int type = 0; type < KEY_TYPES.length; type++) {
                verifications[outcome.ordinal()][type] = Counter.builder("keyledger_edge_verifications")
                        .description("Key checks by outcome and key type")
                        .tag("outcome", outcome.label())
                        .tag("key_type", KEY_TYPES[type])
                        .register(registry);
            }
        }
        rateLimitRejections = Counter.builder("keyledger_edge_ratelimit_rejections")
                .description("Requests refused with 429")
                .register(registry);
        decisionLatency = Timer.builder("keyledger_edge_decision")
                .description("Time from request arrival to the edge's decision, rate limit included")
                .publishPercentileHistogram()
                .minimumExpectedValue(DECISION_MIN)
                .maximumExpectedValue(DECISION_MAX)
                .serviceLevelObjectives(DECISION_SLOS)
                .register(registry);
    }

    void record(Verdict verdict, long elapsedNanos) {
        int type = verdict.entry() == null ? 0 : verdict.entry().type() == ApiKeyType.SECRET ? 1 : 2;
        verifications[verdict.outcome().ordinal()][type].increment();
        if (verdict.outcome() == Outcome.RATE_LIMITED) {
            rateLimitRejections.increment();
        }
        decisionLatency.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }
}
