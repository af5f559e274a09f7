package dev.keyledger.edge.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters in Redis, shared by a fleet of edges. One Lua script reads both window counters and
 * increments them only when both have room, so the check and the count are one atomic step and a
 * refused request consumes nothing. Windows are keyed by their start time; keys expire with their
 * window. Asynchronous (Lettuce), so no request thread waits on Redis. When Redis fails or times out,
 * the decision follows the configured policy (fail open or closed) and the failure is counted in
 * {@code keyledger_edge_ratelimit_backend_errors_total}.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    static final String SCRIPT = """
            local m = tonumber(redis.call('GET', KEYS[1]) or '0')
            local d = tonumber(redis.call('GET', KEYS[2]) or '0')
            if m >= tonumber(ARGV[1]) or d >= tonumber(ARGV[2]) then
              return {0, m, d}
            end
            if ARGV[5] == '1' then
              m = redis.call('INCR', KEYS[1])
              if m == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
              d = redis.call('INCR', KEYS[2])
              if d == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
            end
            return {1, m, d}
            """;

    private final RedisClient client;
    private final Clock clock;
    private final boolean failOpen;
    private final String keyPrefix;
    private final String scriptSha;
    private final Counter backendErrors;
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttemptMillis;

    public RedisRateLimiter(
            RedisClient client, Clock clock, boolean failOpen, String keyPrefix, MeterRegistry registry) {
        this.client = client;
        this.clock = clock;
        this.failOpen = failOpen;
        this.keyPrefix = keyPrefix;
        this.scriptSha = sha1Hex(SCRIPT);
        this.backendErrors = Counter.builder("keyledger_edge_ratelimit_backend_errors")
                .description("Rate-limit decisions taken without Redis because it failed or timed out")
                .tag("policy", failOpen ? "fail_open" : "fail_closed")
                .register(registry);
        commands(clock.millis());
    }

    @Override
    public CompletionStage<RateLimitDecision> acquire(String keyId, long perMinute, long perDay) {
        return run(keyId, perMinute, perDay, true);
    }

    @Override
    public CompletionStage<RateLimitDecision> peek(String keyId, long perMinute, long perDay) {
        return run(keyId, perMinute, perDay, false);
    }

    private CompletionStage<RateLimitDecision> run(String keyId, long perMinute, long perDay, boolean consume) {
        long now = clock.millis();
        RedisAsyncCommands<String, String> commands = commands(now);
        if (commands == null) {
            return CompletableFuture.completedFuture(failed(perMinute, now, null));
        }
        long minuteStart = FixedWindows.minuteStart(now);
        long dayStart = FixedWindows.dayStart(now);
        String tag = keyPrefix + "{" + keyId + "}";
        String[] keys = {tag + ":m:" + minuteStart, tag + ":d:" + dayStart};
        String[] args = {
            Long.toString(perMinute),
            Long.toString(perDay),
            Long.toString(minuteStart + FixedWindows.MINUTE_MILLIS - now + 1000),
            Long.toString(dayStart + FixedWindows.DAY_MILLIS - now + 1000),
            consume ? "1" : "0"
        };
        CompletionStage<List<Long>> reply = commands.<List<Long>>evalsha(scriptSha, ScriptOutputType.MULTI, keys, args)
                .exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                        ? commands.<List<Long>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args)
                        : CompletableFuture.failedFuture(error));
        return reply.handle((values, error) -> {
            if (error != null || values == null || values.size() != 3) {
                return failed(perMinute, now, error);
            }
            boolean room = values.get(0) == 1L;
            return RateLimitDecision.of(room, perMinute, values.get(1), perDay, values.get(2), now);
        });
    }

    private RateLimitDecision failed(long perMinute, long now, Throwable error) {
        backendErrors.increment();
        if (error != null) {
            LOG.debug("Redis rate limiter failed: {}", error.toString());
        }
        return RateLimitDecision.backendFailed(failOpen, perMinute, now);
    }

    /**
     * The open connection. The constructor connects once; if Redis was down then, one request at a
     * time retries, at most once a second, and the others take the failure policy meanwhile. Once
     * connected, Lettuce reconnects by itself.
     */
    private RedisAsyncCommands<String, String> commands(long now) {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current.async();
        }
        if (now < nextConnectAttemptMillis || !connectLock.tryLock()) {
            return null;
        }
        try {
            if (connection == null) {
                try {
                    connection = client.connect();
                } catch (RuntimeException e) {
                    nextConnectAttemptMillis = now + 1000;
                    LOG.warn("Redis unreachable for rate limiting: {}", e.toString());
                    return null;
                }
            }
            return connection.async();
        } finally {
            connectLock.unlock();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof java.util.concurrent.CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown();
    }
}
