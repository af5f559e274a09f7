package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** 429: the plan's limit per fixed UTC window, with Retry-After, retry_after and CORS for browsers. */
class RateLimitedIntegrationTest extends EdgeIntegrationTestBase {

    private static final Pattern BODY = Pattern.compile(
            "\\{\"error\":\"rate_limit_exceeded\",\"message\":\"Rate limit exceeded\\. Try again in (\\d+) seconds\\.\",\"code\":\"RATE_LIMIT_EXCEEDED\",\"retry_after\":(\\d+)}");

    @Test
    void acceptsExactlyTheMinuteLimitThenRefusesWithRetryAfter() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 10, 1000));
        awaitFreshMinute();

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> accepted = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.headers().firstValue("X-RateLimit-Remaining")).contains(Integer.toString(9 - i));
        }
        HttpResponse<String> refused = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        assertThat(refused.statusCode()).isEqualTo(429);
        Matcher body = BODY.matcher(refused.body());
        assertThat(body.matches()).as(refused.body()).isTrue();
        assertThat(body.group(1)).isEqualTo(body.group(2));
        long retryAfter = Long.parseLong(body.group(2));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.headers().firstValue("Retry-After")).contains(body.group(2));
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("10");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    }

    @Test
    void dayLimitRefusesWhenItIsTheTighterWindow() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 3));
        awaitFreshMinute();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> accepted = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(accepted.headers().firstValue("X-RateLimit-Limit")).contains("3");
        }
        HttpResponse<String> refused = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("X-RateLimit-Limit")).contains("3");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isGreaterThan(0);
    }

    @Test
    void refusedRequestsDoNotConsume() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 2, 1000));
        awaitFreshMinute();
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        for (int i = 0; i < 5; i++) {
            assertThat(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))
                            .statusCode())
                    .isEqualTo(429);
        }
        HttpResponse<String> stillRefused = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        assertThat(stillRefused.headers().firstValue("X-RateLimit-Limit")).contains("2");
        assertThat(stillRefused.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    }

    @Test
    void browserGetsCorsHeadersOnA429SoItCanReadRetryAfter() {
        String origin = "https://app.example.com";
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(origin), 1, 100));
        awaitFreshMinute();
        get("/api/echo", headers("X-API-Key", key.plaintext(), "Origin", origin));

        HttpResponse<String> refused = get("/api/echo", headers("X-API-Key", key.plaintext(), "Origin", origin));

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
        assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("Retry-After");
    }
}
