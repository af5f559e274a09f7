package dev.keyledger.edge.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the rate limiter. Every Redis wait is bounded by one of the durations below, and
 * none of them is ever spent on a request thread: requests only ever start an asynchronous command
 * or take the failure policy at once (decision record 0005, docs/reliability.md "Redis
 * unreachable").
 *
 * @param backend {@code memory} for a single edge, {@code redis} for a fleet sharing counters
 * @param redisUri the Redis server (e.g. {@code redis://127.0.0.1:6379})
 * @param commandTimeout how long a request waits for Redis before the failure policy applies
 *     (default 200 ms)
 * @param failOpen when Redis fails: {@code true} lets requests through (counted), {@code false}
 *     answers 503 (decision record 0005)
 * @param keyPrefix prefix of the Redis keys
 * @param connectTimeout how long one connection attempt (TCP connect and the Redis handshake) may
 *     take, at start and on every reconnect (default 1 s); requests meanwhile take the failure
 *     policy without waiting
 * @param connectRetryInterval pause between connection attempts while Redis has never been reached
 *     (default 1 s); attempts run on the limiter's own thread
 * @param reconnectDelayMax upper bound of Lettuce's exponential back-off between reconnects once a
 *     connection was lost (default 5 s)
 */
@ConfigurationProperties("keyledger.ratelimit")
public record RateLimitProperties(
        Backend backend,
        String redisUri,
        Duration commandTimeout,
        Boolean failOpen,
        String keyPrefix,
        Duration connectTimeout,
        Duration connectRetryInterval,
        Duration reconnectDelayMax) {

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
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(1) : connectTimeout;
        connectRetryInterval = connectRetryInterval == null ? Duration.ofSeconds(1) : connectRetryInterval;
        reconnectDelayMax = reconnectDelayMax == null ? Duration.ofSeconds(5) : reconnectDelayMax;
    }
}
