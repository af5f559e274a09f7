package dev.keyledger.query.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The read API's outcomes, grouped by status: 200, 400, 401, 403 and 404. */
class ReadApiIntegrationTest extends QueryServiceIntegrationTestBase {

    static String org;
    static String otherOrg;
    static String db;
    static KeyEvents.IssuedKey pub;
    static KeyEvents.IssuedKey secret;
    static KeyEvents.IssuedKey otherKey;

    @BeforeEach
    void scenario() {
        if (org != null) {
            return;
        }
        org = events.createOrganization(Plan.PRO);
        otherOrg = events.createOrganization(Plan.FREE);
        db = events.createDatabase(org, List.of("https://app.example.com"));
        pub = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, null);
        secret = events.issue(org, null, ApiKeyType.SECRET, "backend", null, null);
        events.rename(org, secret.id(), "backend v2");
        KeyEvents.IssuedKey revoked = events.issue(org, null, ApiKeyType.SECRET, "old", null, null);
        events.revoke(org, revoked.id());
        otherKey = events.issue(otherOrg, null, ApiKeyType.SECRET, "theirs", null, null);
        awaitProjected();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return KeyledgerJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Nested
    class Ok {

        @Test
        void listsKeysWithPublicValuesAndMaskedSecrets() {
            HttpResponse<String> response = get("/api/v1/organizations/" + org + "/api-keys", TestTokens.member(org));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode data = json(response).path("data");
            assertThat(data).hasSize(3);
            JsonNode publicView = find(data, pub.id());
            assertThat(publicView.path("key").asText()).isEqualTo(pub.plaintext());
            assertThat(publicView.path("type").asText()).isEqualTo("public");
            assertThat(publicView.path("database_id").asText()).isEqualTo(db);
            assertThat(publicView.path("status").asText()).isEqualTo("active");
            assertThat(publicView.has("last_used_at")
                            && publicView.get("last_used_at").isNull())
                    .isTrue();
            assertThat(publicView.path("usage_count").asLong(-1)).isZero();
            assertThat(publicView.path("created_by").asText()).isEqualTo("alice");

            JsonNode secretView = find(data, secret.id());
            assertThat(secretView.has("key")).isFalse();
            assertThat(secretView.path("masked").asText())
                    .isEqualTo("sk_..." + secretView.path("last_four").asText());
            assertThat(secretView.path("name").asText()).isEqualTo("backend v2");
            assertThat(response.body()).doesNotContain(secret.plaintext()).doesNotContain(secret.hash());
            for (String field : List.of(
                    "id",
                    "type",
                    "name",
                    "organization_id",
                    "database_id",
                    "last_four",
                    "created_at",
                    "created_by",
                    "expires_at",
                    "status",
                    "revoked_at",
                    "revoked_by",
                    "replaced_by",
                    "last_used_at",
                    "usage_count")) {
                assertThat(secretView.has(field)).as(field).isTrue();
            }
        }

        @Test
        void filtersByTypeStatusAndDatabase() {
            String base = "/api/v1/organizations/" + org + "/api-keys";
            assertThat(json(get(base + "?type=public", TestTokens.member(org))).path("data"))
                    .hasSize(1);
            assertThat(json(get(base + "?status=revoked", TestTokens.member(org)))
                            .path("data"))
                    .singleElement()
                    .satisfies(
                            key -> assertThat(key.path("revoked_by").asText()).isEqualTo("alice"));
            assertThat(json(get(base + "?status=active&type=secret", TestTokens.member(org)))
                            .path("data"))
                    .hasSize(1);
            assertThat(json(get(base + "?database_id=" + db, TestTokens.member(org)))
                            .path("data"))
                    .hasSize(1);
        }

        @Test
        void readsOneKeyItsHistoryItsUsageAndTheDatabases() {
            String base = "/api/v1/organizations/" + org;
            HttpResponse<String> one = get(base + "/api-keys/" + secret.id(), TestTokens.admin(org));
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(json(one).path("id").asText()).isEqualTo(secret.id());

            JsonNode history = json(get(base + "/api-keys/" + secret.id() + "/history", TestTokens.member(org)))
                    .path("data");
            assertThat(StreamSupport.stream(history.spliterator(), false)
                            .map(entry -> entry.path("type").asText()))
                    .containsExactly("api_key.issued", "api_key.renamed");
            assertThat(history.get(0).path("actor").path("ip").asText()).isEqualTo("203.0.113.7");
            assertThat(history.get(0).path("actor").path("user_agent").asText()).isEqualTo("portal/1.0");
            assertThat(history.get(1).path("details").path("name").asText()).isEqualTo("backend v2");
            assertThat(history.get(0).path("sequence").asLong()).isZero();

            HttpResponse<String> usage =
                    get(base + "/api-keys/" + pub.id() + "/usage?interval=hour", TestTokens.member(org));
            assertThat(usage.statusCode()).isEqualTo(200);
            assertThat(json(usage).path("data")).isEmpty();

            JsonNode databases =
                    json(get(base + "/databases", TestTokens.member(org))).path("data");
            assertThat(databases).singleElement().satisfies(database -> {
                assertThat(database.path("id").asText()).isEqualTo(db);
                assertThat(database.path("allowed_origins").get(0).asText()).isEqualTo("https://app.example.com");
            });
        }

        @Test
        void servesTheAuditLogAsOneDocumentOrAsNdjson() {
            String path = "/api/v1/organizations/" + org + "/audit-log";
            JsonNode document = json(get(path, TestTokens.member(org))).path("data");
            assertThat(document).hasSize(7);
            HttpResponse<String> ndjson = get(path, TestTokens.member(org), "application/x-ndjson");
            assertThat(ndjson.statusCode()).isEqualTo(200);
            assertThat(ndjson.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
            List<String> lines = ndjson.body().lines().toList();
            assertThat(lines).hasSize(7);
            assertThat(lines.getFirst()).contains("\"type\":\"organization.created\"");
            String window = path + "?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z";
            assertThat(json(get(window, TestTokens.member(org))).path("data")).isEmpty();
        }

        @Test
        void aPlatformAdminReadsAnyOrganization() {
            HttpResponse<String> response =
                    get("/api/v1/organizations/" + otherOrg + "/api-keys", TestTokens.platformAdmin());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).path("data")).hasSize(1);
        }
    }

    @Nested
    class BadRequest {

        @Test
        void refusesUnknownFilterValues() {
            String base = "/api/v1/organizations/" + org + "/api-keys";
            assertError(get(base + "?status=deleted", TestTokens.member(org)), 400, "VALIDATION_FAILED");
            assertError(get(base + "?type=private", TestTokens.member(org)), 400, "VALIDATION_FAILED");
            assertThat(json(get(base + "?status=deleted", TestTokens.member(org)))
                            .path("details")
                            .get(0)
                            .path("field")
                            .asText())
                    .isEqualTo("status");
        }

        @Test
        void refusesBadTimesAndIntervals() {
            String base = "/api/v1/organizations/" + org;
            assertError(get(base + "/audit-log?from=yesterday", TestTokens.member(org)), 400, "VALIDATION_FAILED");
            assertError(
                    get(base + "/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", TestTokens.member(org)),
                    400,
                    "VALIDATION_FAILED");
            assertError(
                    get(base + "/api-keys/" + pub.id() + "/usage?interval=week", TestTokens.member(org)),
                    400,
                    "VALIDATION_FAILED");
        }
    }

    @Nested
    class Unauthorized {

        @Test
        void refusesMissingForgedExpiredAndGarbageTokens() {
            String path = "/api/v1/organizations/" + org + "/api-keys";
            for (String token : List.of("", TestTokens.forged(org), TestTokens.expired(org), "not.a.jwt")) {
                HttpResponse<String> response = get(path, token.isEmpty() ? null : token);
                assertError(response, 401, "INVALID_TOKEN");
            }
        }
    }

    @Nested
    class Forbidden {

        @Test
        void aMemberOfOneOrganizationCannotReadAnother() {
            for (String path : List.of(
                    "/api-keys",
                    "/api-keys/" + otherKey.id(),
                    "/api-keys/" + otherKey.id() + "/history",
                    "/audit-log",
                    "/databases")) {
                assertError(
                        get("/api/v1/organizations/" + otherOrg + path, TestTokens.admin(org)),
                        403,
                        "INSUFFICIENT_PERMISSIONS");
            }
        }

        @Test
        void aTokenWithoutARoleOrAnApiKeyIsRefused() {
            String path = "/api/v1/organizations/" + org + "/api-keys";
            assertError(get(path, TestTokens.withRoles(org, List.of())), 403, "INSUFFICIENT_PERMISSIONS");
            HttpResponse<String> apiKey = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", pub.plaintext())
                    .build());
            assertError(apiKey, 403, "INSUFFICIENT_PERMISSIONS");
            assertThat(json(apiKey).path("message").asText()).isEqualTo("API keys cannot manage API keys");
        }
    }

    @Nested
    class NotFound {

        @Test
        void unknownKeysAndKeysOfAnotherOrganizationAreNotFound() {
            String base = "/api/v1/organizations/" + org + "/api-keys/";
            assertError(get(base + "key_01ZZZZZZZZZZZZZZZZZZZZZZZZ", TestTokens.member(org)), 404, "NOT_FOUND");
            assertError(get(base + otherKey.id(), TestTokens.platformAdmin()), 404, "NOT_FOUND");
            assertError(get(base + otherKey.id() + "/history", TestTokens.member(org)), 404, "NOT_FOUND");
            assertError(get(base + otherKey.id() + "/usage", TestTokens.member(org)), 404, "NOT_FOUND");
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode find(JsonNode data, String id) {
        return StreamSupport.stream(data.spliterator(), false)
                .filter(key -> key.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }
}
