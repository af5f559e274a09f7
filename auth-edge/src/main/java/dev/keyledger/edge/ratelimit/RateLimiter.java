package dev.keyledger.edge.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Per-key limits over fixed UTC minute and day windows. {@link #acquire} counts the request only
 * when both windows have room, so a refused request consumes nothing; {@link #peek} reads the
 * counters without counting (for the headers of a 403). Implementations never throw for an outcome:
 * a backend failure becomes a decision according to the configured policy.
 */
public interface RateLimiter {

    CompletionStage<RateLimitDecision> acquire(String keyId, long perMinute, long perDay);

    CompletionStage<RateLimitDecision> peek(String keyId, long perMinute, long perDay);
}
