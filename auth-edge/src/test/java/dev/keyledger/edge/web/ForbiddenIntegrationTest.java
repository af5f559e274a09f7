package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 403: scope (database) and origin violations, with rate-limit headers and without CORS headers. */
class ForbiddenIntegrationTest extends EdgeIntegrationTestBase {

    static final String BODY =
            "{\"error\":\"forbidden\",\"message\":\"API key does not have access to this resource\",\"code\":\"INSUFFICIENT_PERMISSIONS\"}";
    static final String ORIGIN = "https://app.example.com";

    @Test
    void publicKeyNamingAnotherDatabaseByHeaderIsForbidden() {
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(ORIGIN), 10, 100));

        assertForbidden(get(
                "/_keyledger/auth",
                headers("X-API-Key", key.plaintext(), "Origin", ORIGIN, "X-Database-Id", newDatabase())));
    }

    @Test
    void publicKeyNamingAnotherDatabaseInThePathIsForbidden() {
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(ORIGIN), 10, 100));

        assertForbidden(get(
                "/api/v1/databases/" + newDatabase() + "/items",
                headers("X-API-Key", key.plaintext(), "Origin", ORIGIN)));
    }

    @Test
    void publicKeyWithoutOriginIsForbidden() {
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(ORIGIN), 10, 100));

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext())));
    }

    @Test
    void publicKeyFromAnotherOriginIsForbiddenWithoutCorsHeaders() {
        TestKey key = activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of(ORIGIN), 10, 100));

        HttpResponse<String> response =
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://evil.example.com"));

        assertForbidden(response);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void wildcardOriginDoesNotMatchTwoLabels() {
        TestKey key = activate(
                TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://*.example.org"), 10, 100));

        assertForbidden(
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://a.b.example.org")));
        assertForbidden(
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "http://a.example.org")));
    }

    @Test
    void secretKeyFromABrowserIsForbiddenWithoutCorsHeaders() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        HttpResponse<String> response = get("/api/echo", headers("X-API-Key", key.plaintext(), "Origin", ORIGIN));

        assertForbidden(response);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers"))
                .isEmpty();
    }

    @Test
    void secretKeyNamingADatabaseOfAnotherOrganizationIsForbidden() {
        String otherDb = newDatabase();
        activate(TestKeys.publicKey(newOrganization(), otherDb, List.of(ORIGIN), 10, 100));
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", otherDb)));
        assertForbidden(get("/api/v1/databases/" + otherDb + "/items", headers("X-API-Key", key.plaintext())));
    }

    @Test
    void secretKeyNamingADatabaseOfAnotherOrganizationWithoutPublicKeysIsForbidden() {
        String otherDb = newDatabase();
        publishDatabase(otherDb, newOrganization());
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", otherDb)));
        assertForbidden(get("/api/v1/databases/" + otherDb + "/items", headers("X-API-Key", key.plaintext())));
    }

    @Test
    void secretKeyOfAnotherOrganizationStaysForbiddenAfterTheDatabaseLosesItsLastPublicKey() {
        String otherOrg = newOrganization();
        String otherDb = newDatabase();
        publishDatabase(otherDb, otherOrg);
        TestKey publicKey = activate(TestKeys.publicKey(otherOrg, otherDb, List.of(ORIGIN), 10, 100));
        revoke(publicKey);
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", otherDb)));
    }

    @Test
    void secretKeyNamingAnUnknownDatabaseIsForbidden() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        String unknown = newDatabase();

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", unknown)));
        assertForbidden(get("/api/v1/databases/" + unknown + "/items", headers("X-API-Key", key.plaintext())));
    }

    @Test
    void secretKeyNamingAMalformedDatabaseIsForbidden() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        assertForbidden(get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", "../etc")));
    }

    @Test
    void forbiddenRequestsCarryRateLimitHeadersAndConsumeNothing() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 5, 1000));
        awaitFreshMinute();

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused =
                    get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", ORIGIN));
            assertForbidden(refused);
            assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).contains("5");
        }
        HttpResponse<String> accepted = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.headers().firstValue("X-RateLimit-Remaining")).contains("4");
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo(BODY);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).isPresent();
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        assertThat(response.headers().firstValue("X-RateLimit-Reset")).isPresent();
    }
}
