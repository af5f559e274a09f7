package dev.keyledger.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The whole edge with the Redis rate limiter pointed at an address that never answers (see the
 * subclasses): every request still completes within a generous bound, fails open and is counted,
 * and a request that never reaches the limiter (an unknown key, 401) is not held up behind the
 * others. The measured latencies are printed for docs/reliability.md ("Redis unreachable").
 */
abstract class UnresponsiveRedisLatencyTestBase extends EdgeIntegrationTestBase {

    /** Far above the 200 ms command timeout and the 1 s connect timeout, far below a hang. */
    static final Duration BOUND = Duration.ofSeconds(3);

    @Autowired
    MeterRegistry meters;

    static void redisAt(DynamicPropertyRegistry registry, UnresponsiveRedis redis) {
        registry.add("keyledger.ratelimit.backend", () -> "redis");
        registry.add("keyledger.ratelimit.redis-uri", redis::uri);
        registry.add("keyledger.ratelimit.command-timeout", () -> "200ms");
        registry.add("keyledger.ratelimit.connect-timeout", () -> "1s");
        registry.add("keyledger.ratelimit.connect-retry-interval", () -> "200ms");
    }

    abstract String scenario();

    @Test
    void everyRequestFinishesWithinTheBoundFailsOpenAndIsCounted() throws Exception {
        TestKey key = activate(TestKeys.secret(newOrganization(), 1_000, 100_000));
        String unknown = ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext();
        double errorsBefore = backendErrors();

        List<CompletableFuture<Timed>> keyed = new ArrayList<>();
        List<CompletableFuture<Timed>> unknowns = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 20; i++) {
                keyed.add(timed(key.plaintext()));
            }
            unknowns.add(timed(unknown));
            CompletableFuture.allOf(keyed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            CompletableFuture.allOf(unknowns.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        List<Timed> keyedResults = keyed.stream().map(CompletableFuture::join).toList();
        List<Timed> unknownResults =
                unknowns.stream().map(CompletableFuture::join).toList();
        assertThat(keyedResults).allSatisfy(result -> {
            assertThat(result.status()).as("fail open").isEqualTo(200);
            assertThat(result.elapsed()).isLessThan(BOUND);
        });
        assertThat(unknownResults).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(401);
            assertThat(result.elapsed()).isLessThan(BOUND);
        });
        assertThat(backendErrors() - errorsBefore).isGreaterThanOrEqualTo(keyedResults.size());
        System.out.printf(
                "Redis unreachable (%s): %d keyed requests p50 %d ms, max %d ms; %d unknown-key requests max %d ms%n",
                scenario(),
                keyedResults.size(),
                percentile(keyedResults, 0.5),
                percentile(keyedResults, 1.0),
                unknownResults.size(),
                percentile(unknownResults, 1.0));
    }

    private CompletableFuture<Timed> timed(String apiKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_keyledger/auth"))
                .timeout(Duration.ofSeconds(20))
                .header("X-API-Key", apiKey)
                .GET()
                .build();
        long start = System.nanoTime();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> new Timed(response.statusCode(), Duration.ofNanos(System.nanoTime() - start)));
    }

    private static long percentile(List<Timed> results, double quantile) {
        List<Long> millis =
                results.stream().map(r -> r.elapsed().toMillis()).sorted().toList();
        return millis.get((int) Math.min(millis.size() - 1, Math.ceil(quantile * millis.size()) - 1));
    }

    private double backendErrors() {
        return meters.get("keyledger_edge_ratelimit_backend_errors").counter().count();
    }

    record Timed(int status, Duration elapsed) {}
}
