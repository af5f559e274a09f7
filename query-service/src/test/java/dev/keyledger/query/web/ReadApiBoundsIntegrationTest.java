package dev.keyledger.query.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every date, enumeration and id parameter of the read API has bounds: beyond them the answer is
 * 400 {@code VALIDATION_FAILED} naming the parameter (404 for a malformed path id), never a 500.
 */
class ReadApiBoundsIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final List<String> BAD_INSTANTS = List.of(
            "-1000000000-01-01T00:00:00Z",
            "+1000000000-12-31T23:59:59.999999999Z",
            "+300000-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01T00:00:00+18:01",
            "2026-01-01T00:00:00\u0000Z",
            "\ud800",
            "2026-01-01T00:00:00" + "9".repeat(5000) + "Z");

    static String org;
    static KeyEvents.IssuedKey key;

    @BeforeEach
    void scenario() {
        if (org != null) {
            return;
        }
        String organization = events.createOrganization(Plan.PRO);
        key = events.issue(organization, null, ApiKeyType.SECRET, "bounded", null, null);
        awaitProjected();
        org = organization;
    }

    @Test
    void usageRefusesInstantsOutsideTheSupportedRange() {
        for (String parameter : List.of("from", "to")) {
            for (String value : BAD_INSTANTS) {
                assertValidationFailed(
                        get(keyPath("/usage?" + parameter + "=" + encode(value)), TestTokens.member(org)), parameter);
            }
        }
    }

    @Test
    void auditLogRefusesInstantsOutsideTheSupportedRange() {
        for (String parameter : List.of("from", "to")) {
            for (String value : BAD_INSTANTS) {
                assertValidationFailed(
                        get(orgPath("/audit-log?" + parameter + "=" + encode(value)), TestTokens.member(org)),
                        parameter);
                assertValidationFailed(
                        get(
                                orgPath("/audit-log?" + parameter + "=" + encode(value)),
                                TestTokens.member(org),
                                "application/x-ndjson"),
                        parameter);
            }
        }
    }

    @Test
    void theOuterBoundsLeapSecondsAndOffsetsAreAccepted() {
        for (String query : List.of(
                "?interval=day&from=9999-12-01T00:00:00Z&to=9999-12-31T23:59:59.999999Z",
                "?interval=minute&from=2016-12-31T23:59:00Z&to=2016-12-31T23:59:60Z",
                "?interval=hour&from=2026-01-01T02:00:00%2B02:00&to=2026-01-01T06:00:00-01:00")) {
            HttpResponse<String> response = get(keyPath("/usage" + query), TestTokens.member(org));
            assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(200);
        }
        HttpResponse<String> audit = get(
                orgPath("/audit-log?from=1970-01-01T00:00:00Z&to=9999-12-31T23:59:59.999999Z"), TestTokens.member(org));
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        assertThat(json(audit).path("data").size()).isPositive();
    }

    @Test
    void fromAfterToIsRefused() {
        assertValidationFailed(
                get(orgPath("/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), TestTokens.member(org)),
                "from");
        assertValidationFailed(
                get(keyPath("/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"), TestTokens.member(org)),
                "from");
    }

    @Test
    void enumerationsAndDatabaseIdsAreChecked() {
        for (String[] query : List.of(
                new String[] {"?type=private", "type"},
                new String[] {"?status=deleted", "status"},
                new String[] {"?status=" + "a".repeat(1_000), "status"},
                new String[] {"?database_id=" + encode("db_../x"), "database_id"},
                new String[] {"?database_id=" + encode("db_\ud800"), "database_id"},
                new String[] {"?database_id=org_01JH0000000000000000000000", "database_id"},
                new String[] {"?database_id=db_" + "A".repeat(500), "database_id"})) {
            assertValidationFailed(get(orgPath("/api-keys" + query[0]), TestTokens.member(org)), query[1]);
        }
        assertValidationFailed(get(keyPath("/usage?interval=week"), TestTokens.member(org)), "interval");
        assertValidationFailed(get(keyPath("/usage?interval=" + encode("day\t")), TestTokens.member(org)), "interval");
    }

    @Test
    void malformedPathIdsAreNotFoundForEveryReadEndpoint() {
        String admin = TestTokens.platformAdmin();
        for (String badOrg : List.of("org_" + "A".repeat(200), "org_a-b", "org_%C3%A4", "acme", "db_01JH")) {
            for (String suffix : List.of("/api-keys", "/databases", "/audit-log", "/api-keys/" + key.id())) {
                assertNotFound(get("/api/v1/organizations/" + badOrg + suffix, admin));
            }
        }
        for (String badKey : List.of("key_" + "A".repeat(200), "key_a%20", "key_%C3%A4", "sk_live", "db_01JH")) {
            for (String suffix : List.of("", "/usage", "/history")) {
                assertNotFound(get(orgPath("/api-keys/" + badKey + suffix), TestTokens.member(org)));
            }
        }
    }

    @Test
    void requestsTheContainerOrFirewallRefusesStillGetTheErrorJson() {
        for (String path : List.of(
                orgPath("/api-keys?type=" + encode("secret\u0000")),
                orgPath("/api-keys/key_a%5Cb"),
                orgPath("/api-keys/key_a%00"),
                orgPath("/api-keys/key_a%2Fb/usage"),
                orgPath("/api-keys/key_a;x=1/history"),
                "/api/v1/organizations//api-keys")) {
            HttpResponse<String> response = get(path, TestTokens.member(org));
            assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(400, 404);
            JsonNode body = json(response);
            assertThat(body.path("error").asText()).isNotBlank();
            assertThat(body.path("message").asText()).isNotBlank();
            assertThat(body.path("code").asText()).isNotBlank();
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("Tomcat");
        }
    }

    @Test
    void parametersThatAreNotUtf8AreBadRequestsNotFailures() {
        for (String query : List.of("?interval=%ED%A0%80", "?from=%FF", "?to=%C0%AF")) {
            HttpResponse<String> response = get(keyPath("/usage" + query), TestTokens.member(org));
            assertThat(response.statusCode()).as(query + " " + response.body()).isEqualTo(400);
            assertThat(json(response).path("code").asText()).isEqualTo("VALIDATION_FAILED");
        }
    }

    @Test
    void theAuditLogRefusesAMediaTypeItCannotWrite() {
        HttpResponse<String> png = get(orgPath("/audit-log"), TestTokens.member(org), "image/png");
        assertThat(png.statusCode()).as(png.body()).isEqualTo(406);
        assertThat(json(png).path("code").asText()).isEqualTo("NOT_ACCEPTABLE");
        HttpResponse<String> broken = get(orgPath("/audit-log"), TestTokens.member(org), ";;;/");
        assertThat(broken.statusCode()).as(broken.body()).isBetween(400, 406);
        assertThat(json(broken).path("code").asText()).isNotBlank();
        assertThat(get(orgPath("/audit-log"), TestTokens.member(org), "*/*").statusCode())
                .isEqualTo(200);
    }

    private static void assertValidationFailed(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("details").path(0).path("field").asText())
                .as(response.uri() + " " + response.body())
                .isEqualTo(field);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertNotFound(HttpResponse<String> response) {
        assertThat(response.statusCode())
                .as(response.uri() + " " + response.body())
                .isEqualTo(404);
        assertThat(json(response).path("code").asText()).isEqualTo("NOT_FOUND");
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return KeyledgerJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String orgPath(String suffix) {
        return "/api/v1/organizations/" + org + suffix;
    }

    private static String keyPath(String suffix) {
        return orgPath("/api-keys/" + key.id() + suffix);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
