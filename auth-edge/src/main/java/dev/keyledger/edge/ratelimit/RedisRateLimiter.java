package dev.keyledger.edge.ratelimit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters in Redis, shared by a fleet of edges. One Lua script reads both window counters and
 * increments them only when both have room, so the check and the count are one atomic step and a
 * refused request consumes nothing. Windows are keyed by their start time; keys expire with their
 * window. Asynchronous (Lettuce), so no request thread waits on Redis: connecting and reconnecting
 * run on the limiter's own thread and Lettuce's, each bounded by a timeout, and a request without
 * an open connection takes the failure policy at once. When Redis fails or times out,
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
    private final RedisURI uri;
    private final ClientResources resources;
    private final Clock clock;
    private final boolean failOpen;
    private final String keyPrefix;
    private final String scriptSha;
    private final Duration connectTimeout;
    private final Duration connectRetryInterval;
    private final Counter backendErrors;
    private final ScheduledExecutorService connector;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    /**
     * Starts connecting on the limiter's own thread and waits for that first attempt on the caller's
     * thread (the application's start, never a request), at most {@code connect-timeout}; if Redis
     * is not reached by then, requests take the failure policy while attempts continue in the
     * background every {@code connect-retry-interval}.
     */
    RedisRateLimiter(
            RedisClient client,
            RedisURI uri,
            ClientResources resources,
            Clock clock,
            RateLimitProperties properties,
            MeterRegistry registry) {
        this.client = client;
        this.uri = uri;
        this.resources = resources;
        this.clock = clock;
        this.failOpen = properties.failOpen();
        this.keyPrefix = properties.keyPrefix();
        this.connectTimeout = properties.connectTimeout();
        this.connectRetryInterval = properties.connectRetryInterval();
        this.scriptSha = sha1Hex(SCRIPT);
        this.backendErrors = Counter.builder("keyledger_edge_ratelimit_backend_errors")
                .description("Rate-limit decisions taken without Redis because it failed or timed out")
                .tag("policy", failOpen ? "fail_open" : "fail_closed")
                .register(registry);
        Gauge.builder("keyledger_edge_ratelimit_redis_connected", this, limiter -> limiter.connected() ? 1 : 0)
                .description("1 while the rate limiter holds an open Redis connection, else 0")
                .register(registry);
        this.connector = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ratelimit-redis-connect");
            thread.setDaemon(true);
            return thread;
        });
        try {
            connector.submit(this::connect).get().get(connectTimeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Logged by the attempt itself; requests take the policy until a retry connects.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while a connection is open; Lettuce reconnects it by itself after it was lost. */
    boolean connected() {
        StatefulRedisConnection<String, String> current = connection;
        return current != null && current.isOpen();
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
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            return CompletableFuture.completedFuture(failed(perMinute, now, null));
        }
        long minuteStart = FixedWindows.minuteStart(now);
        long dayStart = FixedWindows.dayStart(now);
        RedisAsyncCommands<String, String> commands = current.async();
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
     * One connection attempt, asynchronous and bounded by {@code connect-timeout} (a server that
     * accepts and never answers would otherwise hold the handshake forever). A failed attempt
     * schedules the next one; a connection that arrives after its attempt timed out is closed.
     * Runs on the connector thread; never on a request thread.
     */
    private CompletableFuture<StatefulRedisConnection<String, String>> connect() {
        CompletableFuture<StatefulRedisConnection<String, String>> attempt;
        try {
            attempt = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<StatefulRedisConnection<String, String>> raw = attempt;
        CompletableFuture<StatefulRedisConnection<String, String>> bounded =
                raw.copy().orTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((opened, error) -> {
            if (error == null && !closed) {
                connection = opened;
                LOG.info("Rate limiter connected to Redis");
                return;
            }
            raw.whenComplete((late, ignored) -> {
                if (late != null) {
                    late.closeAsync();
                }
            });
            if (!closed) {
                LOG.warn(
                        "Redis unreachable for rate limiting, next attempt in {}: {}",
                        connectRetryInterval,
                        unwrap(error).toString());
                try {
                    connector.schedule(this::connect, connectRetryInterval.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    // closed meanwhile
                }
            }
        });
        return bounded;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
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
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown();
        resources.shutdown();
    }
}
