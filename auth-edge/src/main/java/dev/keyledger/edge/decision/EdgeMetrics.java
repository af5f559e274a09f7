package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The one place that counts key checks. Counters are created up front for every (outcome, key type)
 * pair, so recording is an array index, and labels stay bounded: never a key id.
 */
public final class EdgeMetrics {

    private static final String[] KEY_TYPES = {"none", "secret", "public"};

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
