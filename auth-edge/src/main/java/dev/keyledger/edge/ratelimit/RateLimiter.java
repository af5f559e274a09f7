package dev.keyledger.edge.ratelimit;

import dev.keyledger.contracts.id.PackedKeyId;
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

    /**
     * True when this limiter counts packed key ids without their text (an in-process limiter):
     * callers then pass the packed form. A remote limiter needs the text, which the caller has
     * rendered once for the request anyway.
     */
    default boolean countsPackedIds() {
        return false;
    }

    /**
     * {@link #acquire(String, long, long)} for a key id in its packed form; the same counters as
     * the text's. Renders the text unless the limiter {@linkplain #countsPackedIds() counts packed ids}.
     */
    default CompletionStage<RateLimitDecision> acquire(PackedKeyId keyId, long perMinute, long perDay) {
        return acquire(keyId.toString(), perMinute, perDay);
    }

    /** {@link #peek(String, long, long)} for a key id in its packed form. */
    default CompletionStage<RateLimitDecision> peek(PackedKeyId keyId, long perMinute, long perDay) {
        return peek(keyId.toString(), perMinute, perDay);
    }

    /**
     * {@link #acquire(PackedKeyId, long, long)} at a time the caller has just read from the same
     * clock, so a request reads the clock once (a read costs about 30 ns on a KVM guest,
     * docs/benchmarks-edge.md). A remote limiter, whose round trip dwarfs a clock read, may ignore
     * it and read its own.
     */
    default CompletionStage<RateLimitDecision> acquire(PackedKeyId keyId, long perMinute, long perDay, long nowMillis) {
        return acquire(keyId, perMinute, perDay);
    }

    /** {@link #peek(PackedKeyId, long, long)} at a time the caller has just read. */
    default CompletionStage<RateLimitDecision> peek(PackedKeyId keyId, long perMinute, long perDay, long nowMillis) {
        return peek(keyId, perMinute, perDay);
    }
}
