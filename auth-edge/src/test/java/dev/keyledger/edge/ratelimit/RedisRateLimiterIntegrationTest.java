package dev.keyledger.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyledger.contracts.id.Ids;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter against the Redis at 127.0.0.1:6379: two limiter instances (two edges) share
 * the counters and together accept exactly the limit under concurrent load. Skips with a message
 * when no Redis answers there.
 */
class RedisRateLimiterIntegrationTest {

    private final List<RedisRateLimiter> limiters = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void redisAnswers() {
        boolean reachable;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            reachable = true;
        } catch (IOException e) {
            reachable = false;
        }
        assumeTrue(reachable, "No Redis answers at 127.0.0.1:6379: Redis rate-limiter tests skipped");
    }

    @AfterEach
    void close() {
        limiters.forEach(RedisRateLimiter::close);
    }

    @Test
    void twoEdgesTogetherAcceptExactlyTheLimitUnderConcurrentLoad() throws Exception {
        RedisRateLimiter edgeA = limiter("redis://127.0.0.1:6379", true);
        RedisRateLimiter edgeB = limiter("redis://127.0.0.1:6379", true);
        String keyId = Ids.newKeyId();
        awaitFreshMinute();

        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            RedisRateLimiter limiter = i % 2 == 0 ? edgeA : edgeB;
            tasks.add(pool.submit(() -> {
                start.await();
                RateLimitDecision decision = limiter.acquire(keyId, 100, 10_000)
                        .toCompletableFuture()
                        .join();
                (decision.allowed() ? allowed : rejected).incrementAndGet();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> task : tasks) {
            task.get();
        }
        pool.shutdown();

        assertThat(allowed.get()).isEqualTo(100);
        assertThat(rejected.get()).isEqualTo(300);
        assertThat(registry.counter("keyledger_edge_ratelimit_backend_errors", "policy", "fail_open")
                        .count())
                .isZero();
    }

    @Test
    void rejectedRequestsDoNotConsume() {
        RedisRateLimiter limiter = limiter("redis://127.0.0.1:6379", true);
        String keyId = Ids.newKeyId();
        awaitFreshMinute();

        assertThat(limiter.acquire(keyId, 2, 5).toCompletableFuture().join().remaining())
                .isEqualTo(1);
        assertThat(limiter.acquire(keyId, 2, 5).toCompletableFuture().join().allowed())
                .isTrue();
        for (int i = 0; i < 10; i++) {
            RateLimitDecision refused =
                    limiter.acquire(keyId, 2, 5).toCompletableFuture().join();
            assertThat(refused.status()).isEqualTo(RateLimitDecision.Status.REJECTED);
            assertThat(refused.retryAfterSeconds()).isBetween(1L, 60L);
        }
        RateLimitDecision day =
                limiter.peek(keyId, 100, 5).toCompletableFuture().join();

        assertThat(day.allowed()).isTrue();
        assertThat(day.limit()).isEqualTo(5);
        assertThat(day.remaining()).isEqualTo(3);
    }

    @Test
    void peekReadsWithoutCounting() {
        RedisRateLimiter limiter = limiter("redis://127.0.0.1:6379", true);
        String keyId = Ids.newKeyId();
        awaitFreshMinute();

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.peek(keyId, 3, 100).toCompletableFuture().join().remaining())
                    .isEqualTo(3);
        }
        assertThat(limiter.acquire(keyId, 3, 100).toCompletableFuture().join().remaining())
                .isEqualTo(2);
    }

    /**
     * Connected, then Redis stops answering (a frozen proxy in front of the real one): each call
     * returns at once with a pending decision, so the calling thread (an event loop at the edge)
     * never waits; the decision arrives after the command timeout, fails open and is counted.
     */
    @Test
    void redisThatStopsAnsweringCostsOneCommandTimeoutAndNeverTheCallersThread() throws Exception {
        try (FreezableProxy proxy = new FreezableProxy("127.0.0.1", 6379)) {
            RedisRateLimiter limiter = limiter(proxy.uri(), true);
            String keyId = Ids.newKeyId();
            assertThat(limiter.acquire(keyId, 100, 1000)
                            .toCompletableFuture()
                            .join()
                            .remaining())
                    .as("answered through the proxy")
                    .isEqualTo(99);

            proxy.freeze();
            List<CompletableFuture<RateLimitDecision>> decisions = new ArrayList<>();
            List<Long> elapsedMillis = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                CompletableFuture<RateLimitDecision> decision =
                        limiter.acquire(keyId, 100, 1000).toCompletableFuture();
                assertThat(decision)
                        .as("the caller is not held while Redis is silent")
                        .isNotDone();
                decisions.add(decision.whenComplete(
                        (result, error) -> elapsedMillis.add((System.nanoTime() - start) / 1_000_000)));
            }
            CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(decisions)
                    .allSatisfy(decision -> assertThat(decision.join().allowed())
                            .as("fail open")
                            .isTrue());
            assertThat(elapsedMillis).allSatisfy(millis -> assertThat(millis).isLessThan(3_000));
            assertThat(registry.counter("keyledger_edge_ratelimit_backend_errors", "policy", "fail_open")
                            .count())
                    .isEqualTo(20);
            System.out.printf(
                    "Redis stops answering: 20 decisions after the 500 ms command timeout, %d to %d ms%n",
                    elapsedMillis.stream().mapToLong(Long::longValue).min().orElseThrow(),
                    elapsedMillis.stream().mapToLong(Long::longValue).max().orElseThrow());
        }
    }

    @Test
    void unreachableRedisFailsOpenAndCountsIt() {
        RedisRateLimiter limiter = limiter("redis://127.0.0.1:1", true);

        CompletableFuture<RateLimitDecision> decision =
                limiter.acquire(Ids.newKeyId(), 10, 100).toCompletableFuture();

        assertThat(decision).as("no connection: the policy applies at once").isDone();
        assertThat(decision.join().allowed()).isTrue();
        assertThat(registry.counter("keyledger_edge_ratelimit_backend_errors", "policy", "fail_open")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void unreachableRedisFailsClosedWhenConfigured() {
        RedisRateLimiter limiter = limiter("redis://127.0.0.1:1", false);

        RateLimitDecision decision =
                limiter.acquire(Ids.newKeyId(), 10, 100).toCompletableFuture().join();

        assertThat(decision.status()).isEqualTo(RateLimitDecision.Status.UNAVAILABLE);
        assertThat(registry.counter("keyledger_edge_ratelimit_backend_errors", "policy", "fail_closed")
                        .count())
                .isEqualTo(1);
    }

    private RedisRateLimiter limiter(String uri, boolean failOpen) {
        RateLimitProperties properties = new RateLimitProperties(
                RateLimitProperties.Backend.REDIS,
                uri,
                Duration.ofMillis(500),
                failOpen,
                "keyledger:test:rl:",
                null,
                null,
                null);
        RedisRateLimiter limiter = RateLimitConfiguration.redis(properties, Clock.systemUTC(), registry);
        limiters.add(limiter);
        return limiter;
    }

    private static void awaitFreshMinute() {
        // From second 45 the next minute is up to 15 s away: wait longer than that.
        await().atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 45);
    }
}
