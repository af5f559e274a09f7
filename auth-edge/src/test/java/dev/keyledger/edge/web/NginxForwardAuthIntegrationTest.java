package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.edge.TestUpstream;
import dev.keyledger.edge.ratelimit.InMemoryRateLimiter;
import dev.keyledger.edge.ratelimit.RateLimitDecision;
import dev.keyledger.edge.ratelimit.RateLimiter;
import dev.keyledger.testsupport.TestPorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * A real nginx (the Debian package) in front of {@link TestUpstream}, asking this edge with
 * {@code auth_request}, configured with exactly the files shipped in {@code deploy/nginx/}: the
 * client must see 200, 401, 403, 400, 429 (with Retry-After) and 503 (with Retry-After) with the
 * contract's JSON, although nginx turns every auth status but 2xx/401/403 into 500 by default.
 * Skipped, saying so, when nginx is not installed ({@code apt-get install -y nginx}).
 */
@Import(NginxForwardAuthIntegrationTest.SwitchableLimiter.class)
class NginxForwardAuthIntegrationTest extends EdgeIntegrationTestBase {

    static final String ORIGIN = "https://app.example.com";

    private static Process nginx;
    private static int nginxPort;
    private static Path work;

    @Autowired
    SwitchableLimiter limiter;

    /** The real in-memory limiter, which a test can switch to "backend unreachable, fail closed". */
    @TestConfiguration(proxyBeanMethods = false)
    static class SwitchableLimiter {

        volatile boolean failing;

        @Bean
        @Primary
        RateLimiter switchableRateLimiter() {
            InMemoryRateLimiter memory = new InMemoryRateLimiter(Clock.systemUTC());
            return new RateLimiter() {
                @Override
                public CompletionStage<RateLimitDecision> acquire(String keyId, long perMinute, long perDay) {
                    return failing ? failed(perMinute) : memory.acquire(keyId, perMinute, perDay);
                }

                @Override
                public CompletionStage<RateLimitDecision> peek(String keyId, long perMinute, long perDay) {
                    return failing ? failed(perMinute) : memory.peek(keyId, perMinute, perDay);
                }
            };
        }

        private static CompletionStage<RateLimitDecision> failed(long perMinute) {
            return CompletableFuture.completedFuture(
                    RateLimitDecision.backendFailed(false, perMinute, System.currentTimeMillis()));
        }
    }

    @BeforeEach
    void startNginx() throws IOException {
        String binary = nginxBinary();
        Assumptions.assumeTrue(
                binary != null, "nginx is not installed (apt-get install -y nginx): skipping the auth_request test");
        if (nginx != null && nginx.isAlive()) {
            return;
        }
        Path deploy = Path.of("..", "deploy", "nginx").toAbsolutePath().normalize();
        assertThat(deploy.resolve("keyledger-server.conf")).exists();
        work = Files.createTempDirectory("keyledger-nginx-test");
        nginxPort = freePort();
        String config = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %2$s/keyledger-http.conf;
                    upstream keyledger_edge { server 127.0.0.1:%3$d; keepalive 8; }
                    upstream keyledger_api { server 127.0.0.1:%4$d; keepalive 8; }
                    server {
                        listen 127.0.0.1:%5$d;
                        include %2$s/keyledger-server.conf;
                    }
                }
                """.formatted(work, deploy, port, TestUpstream.port(), nginxPort);
        Path conf = work.resolve("nginx.conf");
        Files.writeString(conf, config);
        nginx = new ProcessBuilder(binary, "-p", work.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("nginx.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(nginx.isAlive())
                    .as(() -> read(work.resolve("nginx.out")))
                    .isTrue();
            try (Socket ignored = new Socket("127.0.0.1", nginxPort)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.destroy();
            nginx = null;
        }
    }

    @Test
    void acceptedKeyReachesTheApiWithTheEdgesIdentityAndWithoutTheKey() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        HttpResponse<String> response =
                viaNginx("/api/echo", Map.of("X-API-Key", key.plaintext(), "X-Keyledger-Key-Id", "key_forged"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("uri=/api/echo\n");
        assertThat(response.body()).contains("x-keyledger-key-id=" + key.entry().keyId());
        assertThat(response.body()).doesNotContain("x-api-key").doesNotContain("key_forged");
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains("99");
    }

    @Test
    void missingKeyIsUnauthorizedWithTheContractBody() {
        HttpResponse<String> response = viaNginx("/api/echo", Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body())
                .isEqualTo(
                        "{\"error\":\"unauthorized\",\"message\":\"Invalid or missing API key\",\"code\":\"INVALID_API_KEY\"}");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void publicKeyFromAnotherOriginIsForbiddenWithRateLimitHeaders() {
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(ORIGIN), 10, 100));

        HttpResponse<String> response =
                viaNginx("/api/echo", Map.of("X-API-Key", key.plaintext(), "Origin", "https://evil.example.com"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo(TenantBoundaryIntegrationTest.FORBIDDEN);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("10");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void nonCanonicalPathIsABadRequestAndNeverReachesTheApi() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        String marker = "nginx-" + System.nanoTime();

        RawHttp.Answer answer = RawHttp.send(
                nginxPort,
                "GET",
                "/api/v1/%64atabases/db_other/items",
                List.of("X-API-Key: " + key.plaintext(), TestUpstream.MARKER + ": " + marker));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo(TenantBoundaryIntegrationTest.BAD_REQUEST);
        assertThat(answer.header("Retry-After")).isNull();
        assertThat(TestUpstream.received(marker)).isEmpty();
    }

    @Test
    void rateLimitedIsA429WithRetryAfterAndTheContractBody() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 2, 1000));
        awaitFreshMinute();
        Map<String, String> headers = Map.of("X-API-Key", key.plaintext());
        assertThat(viaNginx("/api/echo", headers).statusCode()).isEqualTo(200);
        assertThat(viaNginx("/api/echo", headers).statusCode()).isEqualTo(200);

        HttpResponse<String> response = viaNginx("/api/echo", headers);

        assertThat(response.statusCode()).isEqualTo(429);
        String retryAfter = response.headers().firstValue("Retry-After").orElseThrow();
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
        assertThat(response.body())
                .isEqualTo("{\"error\":\"rate_limit_exceeded\",\"message\":\"Rate limit exceeded. Try again in "
                        + retryAfter + " seconds.\",\"code\":\"RATE_LIMIT_EXCEEDED\",\"retry_after\":" + retryAfter
                        + "}");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains("0");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void edgeFailingClosedIsA503WithRetryAfter() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        limiter.failing = true;
        HttpResponse<String> response;
        try {
            response = viaNginx("/api/echo", Map.of("X-API-Key", key.plaintext()));
        } finally {
            limiter.failing = false;
        }

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(response.body())
                .isEqualTo(
                        "{\"error\":\"service_unavailable\",\"message\":\"Key verification is temporarily unavailable\",\"code\":\"SERVICE_UNAVAILABLE\"}");
    }

    private HttpResponse<String> viaNginx(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginxPort + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String nginxBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File file = new File(dir, "nginx");
                if (file.canExecute()) {
                    return file.getAbsolutePath();
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
