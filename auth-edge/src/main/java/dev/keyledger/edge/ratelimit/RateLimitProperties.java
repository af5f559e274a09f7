package dev.keyledger.edge.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the rate limiter.
 *
 * @param backend {@code memory} for a single edge, {@code redis} for a fleet sharing counters
 * @param redisUri the Redis server (e.g. {@code redis://127.0.0.1:6379})
 * @param commandTimeout how long a request waits for Redis before the failure policy applies
 * @param failOpen when Redis fails: {@code true} lets requests through (counted), {@code false}
 *     answers 503 (decision record 0005)
 * @param keyPrefix prefix of the Redis keys
 */
@ConfigurationProperties("keyledger.ratelimit")
public record RateLimitProperties(
        Backend backend, String redisUri, Duration commandTimeout, Boolean failOpen, String keyPrefix) {

    public enum Backend {
        MEMORY,
        REDIS
    }

    public RateLimitProperties {
        backend = backend == null ? Backend.MEMORY : backend;
        redisUri = redisUri == null ? "redis://127.0.0.1:6379" : redisUri;
        commandTimeout = commandTimeout == null ? Duration.ofMillis(200) : commandTimeout;
        failOpen = failOpen == null ? Boolean.TRUE : failOpen;
        keyPrefix = keyPrefix == null ? "keyledger:rl:" : keyPrefix;
    }
}
