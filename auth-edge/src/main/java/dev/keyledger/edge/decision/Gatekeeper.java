package dev.keyledger.edge.decision;

import dev.keyledger.contracts.id.PackedKeyId;
import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.ratelimit.RateLimitDecision;
import dev.keyledger.edge.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The whole decision for one request: {@link Verifier}, then the rate limiter for a verified key
 * (or a read-only peek for a 403, whose response still carries the rate-limit headers), then one
 * metrics record. Asynchronous only where the limiter is; never completes exceptionally.
 */
public final class Gatekeeper {

    private final Verifier verifier;
    private final RateLimiter limiter;
    private final EdgeMetrics metrics;
    private final Clock clock;

    public Gatekeeper(Verifier verifier, RateLimiter limiter, EdgeMetrics metrics, Clock clock) {
        this.verifier = verifier;
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    public CompletionStage<Verdict> decide(
            String apiKey, String origin, String databaseHeader, String path, long startNanos) {
        long now = clock.millis(); // read once: the verifier and the limiter see the same instant
        Verdict verdict = verifier.verify(apiKey, origin, databaseHeader, path, now);
        CompletionStage<Verdict> result;
        switch (verdict.outcome()) {
            case VERIFIED ->
                result = limit(verdict, true, now)
                        .thenApply(decision -> verdict.withLimit(afterLimit(decision), decision));
            case FORBIDDEN_SCOPE, FORBIDDEN_ORIGIN ->
                result = limit(verdict, false, now)
                        .thenApply(decision -> verdict.withLimit(verdict.outcome(), decision));
            default -> result = CompletableFuture.completedFuture(verdict);
        }
        return result.thenApply(done -> {
            metrics.record(done, System.nanoTime() - startNanos);
            return done;
        });
    }

    /**
     * Counts the request ({@code consume}) or only reads the counters. An in-process limiter gets
     * the packed key id and the instant the verifier used, and renders nothing; any other gets the
     * text, rendered once per request and kept in the verdict for the header and the usage spool.
     */
    private CompletionStage<RateLimitDecision> limit(Verdict verdict, boolean consume, long now) {
        KeyEntry entry = verdict.entry();
        long perMinute = entry.requestsPerMinute();
        long perDay = entry.requestsPerDay();
        PackedKeyId id = limiter.countsPackedIds() ? entry.packedId() : null;
        if (id != null) {
            return consume ? limiter.acquire(id, perMinute, perDay, now) : limiter.peek(id, perMinute, perDay, now);
        }
        String text = verdict.keyId();
        return consume ? limiter.acquire(text, perMinute, perDay) : limiter.peek(text, perMinute, perDay);
    }

    private static Outcome afterLimit(RateLimitDecision decision) {
        return switch (decision.status()) {
            case ALLOWED -> Outcome.ACCEPTED;
            case REJECTED -> Outcome.RATE_LIMITED;
            case UNAVAILABLE -> Outcome.LIMITER_UNAVAILABLE;
        };
    }

    public Verifier verifier() {
        return verifier;
    }
}
