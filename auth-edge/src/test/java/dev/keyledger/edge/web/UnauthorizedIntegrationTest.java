package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** 401: one identical answer for a missing, malformed, forged, unknown, revoked or expired key. */
class UnauthorizedIntegrationTest extends EdgeIntegrationTestBase {

    static final String BODY =
            "{\"error\":\"unauthorized\",\"message\":\"Invalid or missing API key\",\"code\":\"INVALID_API_KEY\"}";

    @Test
    void missingKeyIsRefused() {
        assertUnauthorized(get("/_keyledger/auth", Map.of()));
        assertUnauthorized(get("/api/echo", Map.of()));
    }

    @Test
    void keyOfTheWrongLengthIsRefused() {
        String valid = ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext();
        assertUnauthorized(get("/_keyledger/auth", headers("X-API-Key", valid.substring(1))));
        assertUnauthorized(get("/_keyledger/auth", headers("X-API-Key", valid + "A")));
        assertUnauthorized(get("/_keyledger/auth", headers("X-API-Key", "sk_")));
    }

    @Test
    void wellFormedKeyWithABadChecksumIsRefused() {
        String valid = ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext();
        char last = valid.charAt(valid.length() - 1);
        String forged = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertUnauthorized(get("/_keyledger/auth", headers("X-API-Key", forged)));
    }

    @Test
    void unknownKeyIsRefused() {
        assertUnauthorized(get(
                "/_keyledger/auth",
                headers("X-API-Key", ApiKeyFormat.generate(ApiKeyType.SECRET).plaintext())));
    }

    @Autowired
    MeterRegistry meters;

    @Test
    void revokedKeyIsRefusedOnceItsTombstoneIsReadAndTheRevocationLagIsRecorded() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        assertThat(get("/_keyledger/auth", headers("X-API-Key", key.plaintext()))
                        .statusCode())
                .isEqualTo(200);
        long lagsBefore = meters.get("keyledger_edge_revocation_lag").timer().count();

        revoke(key);

        HttpResponse<String> response = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
        assertUnauthorized(response);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).isEmpty();
        // Recorded by the follower right after the removal the test waited for.
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(meters.get("keyledger_edge_revocation_lag")
                                .timer()
                                .count())
                        .isEqualTo(lagsBefore + 1));
    }

    @Test
    void expiredKeyIsRefused() {
        TestKey key = activate(TestKeys.expiring(
                TestKeys.secret(newOrganization(), 100, 1000), Instant.now().minusSeconds(1)));

        assertUnauthorized(get("/_keyledger/auth", headers("X-API-Key", key.plaintext())));
    }

    @Test
    void publicKeyPresentedWithTheSecretPrefixIsUnknown() {
        TestKey key = activate(TestKeys.publicKey(
                newOrganization(), newDatabase(), java.util.List.of("https://app.example.com"), 10, 100));

        assertUnauthorized(
                get("/api/echo", headers("X-API-Key", "sk_" + key.plaintext().substring(3))));
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(BODY);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    }
}
