package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 200: verified keys in forward-auth and proxy mode, with identity, rate-limit and CORS headers. */
class AcceptedIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void forwardAuthAcceptsSecretKeyWithIdentityAndRateLimitHeaders() {
        String org = newOrganization();
        TestKey key = activate(TestKeys.secret(org, 100, 1000));

        HttpResponse<String> response = get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyledger-Key-Id"))
                .contains(key.entry().keyId());
        assertThat(response.headers().firstValue("X-Keyledger-Key-Type")).contains("secret");
        assertThat(response.headers().firstValue("X-Keyledger-Organization-Id")).contains(org);
        assertThat(response.headers().firstValue("X-Keyledger-Database-Id")).isEmpty();
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).contains("99");
        assertThat(Long.parseLong(
                        response.headers().firstValue("X-RateLimit-Reset").orElseThrow()))
                .isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void secretKeyMayNameAnyDatabaseOfItsOrganization() {
        String org = newOrganization();
        String db = newDatabase();
        activate(TestKeys.publicKey(org, db, List.of("https://app.example.com"), 10, 100));
        TestKey key = activate(TestKeys.secret(org, 100, 1000));

        HttpResponse<String> byHeader =
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", db));
        HttpResponse<String> byPath = get(
                "/_keyledger/auth",
                headers("X-API-Key", key.plaintext(), "X-Forwarded-Uri", "/api/v1/databases/" + db + "/items"));

        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(byHeader.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
        assertThat(byPath.statusCode()).isEqualTo(200);
        assertThat(byPath.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
    }

    @Test
    void secretKeyMayNameADatabaseOfItsOrganizationThatHasNoPublicKey() {
        String org = newOrganization();
        String db = newDatabase();
        publishDatabase(db, org);
        TestKey key = activate(TestKeys.secret(org, 100, 1000));

        HttpResponse<String> byHeader =
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "X-Database-Id", db));
        HttpResponse<String> byPath = get(
                "/_keyledger/auth",
                headers("X-API-Key", key.plaintext(), "X-Forwarded-Uri", "/api/v1/databases/" + db + "/items"));

        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(byHeader.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
        assertThat(byPath.statusCode()).isEqualTo(200);
        assertThat(byPath.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
    }

    @Test
    void publicKeyFromAllowedOriginGetsCorsHeaders() {
        String db = newDatabase();
        TestKey key = activate(TestKeys.publicKey(newOrganization(), db, List.of("https://app.example.com"), 10, 100));

        HttpResponse<String> response =
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://app.example.com"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyledger-Key-Type")).contains("public");
        assertThat(response.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(response.headers().allValues("Vary")).contains("Origin");
        assertThat(response.headers()
                        .firstValue("Access-Control-Expose-Headers")
                        .orElseThrow())
                .contains("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
    }

    @Test
    void publicKeyAcceptsOneLabelUnderAWildcardOrigin() {
        TestKey key = activate(
                TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://*.tenant.example"), 10, 100));

        HttpResponse<String> response =
                get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://shop.tenant.example"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("https://shop.tenant.example");
    }

    @Test
    void envoyStyleForwardAuthUsesTheAppendedPathAndMethod() {
        String org = newOrganization();
        String db = newDatabase();
        publishDatabase(db, org);
        TestKey key = activate(TestKeys.secret(org, 100, 1000));

        HttpResponse<String> response = send(
                "POST",
                "/_keyledger/auth/api/v1/databases/" + db + "/items",
                headers("X-API-Key", key.plaintext()),
                HttpRequest.BodyPublishers.noBody());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Keyledger-Database-Id")).contains(db);
    }

    @Test
    void proxyForwardsWithoutTheKeyAndWithIdentityHeaders() {
        String org = newOrganization();
        TestKey key = activate(TestKeys.secret(org, 100, 1000));

        HttpResponse<String> response = send(
                "POST",
                "/api/echo/things?x=1",
                headers(
                        "X-API-Key", key.plaintext(),
                        "X-Keyledger-Organization-Id", "org_FORGED",
                        "Content-Type", "text/plain"),
                HttpRequest.BodyPublishers.ofString("hello upstream"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Upstream")).contains("yes");
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
        String body = response.body();
        assertThat(body).contains("method=POST", "uri=/api/echo/things?x=1", "body=hello upstream");
        assertThat(body).contains("x-keyledger-key-id=" + key.entry().keyId());
        assertThat(body).contains("x-keyledger-key-type=secret");
        assertThat(body).contains("x-keyledger-organization-id=" + org);
        assertThat(body)
                .doesNotContain("org_FORGED")
                .doesNotContain("x-api-key")
                .doesNotContain(key.plaintext());
    }

    @Test
    void proxyStreamsALargeBodyThrough() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));
        String large = "x".repeat(1_000_000);

        HttpResponse<String> response = send(
                "PUT",
                "/api/echo/blob",
                headers("X-API-Key", key.plaintext()),
                HttpRequest.BodyPublishers.ofString(large));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("body=" + large);
    }

    @Test
    void proxyPassesUpstreamErrorsThrough() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        HttpResponse<String> response = get("/api/fail", headers("X-API-Key", key.plaintext()));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"upstream\":\"failed\"}");
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).contains("100");
    }

    @Test
    void proxyAnswers504WhenTheUpstreamIsSilent() {
        TestKey key = activate(TestKeys.secret(newOrganization(), 100, 1000));

        HttpResponse<String> response = get("/api/slow", headers("X-API-Key", key.plaintext()));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"code\":\"UPSTREAM_TIMEOUT\"");
    }

    @Test
    void pathsOutsideThePrefixesAreNotFound() {
        HttpResponse<String> response = get("/elsewhere", headers());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"code\":\"NOT_FOUND\"");
    }
}
