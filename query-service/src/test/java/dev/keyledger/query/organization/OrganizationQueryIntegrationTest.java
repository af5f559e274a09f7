package dev.keyledger.query.organization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.http.HttpResponse;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The organizations endpoints the portal's Organization page reads: 200, 401, 403 and 404. */
class OrganizationQueryIntegrationTest extends QueryServiceIntegrationTestBase {

    static String org;
    static String otherOrg;

    @BeforeEach
    void scenario() {
        if (org != null) {
            return;
        }
        org = events.createOrganization(Plan.PRO);
        otherOrg = events.createOrganization(Plan.FREE);
        awaitProjected();
    }

    @Test
    void showsAMemberTheirOrganizationWithPlanAndLimits() {
        HttpResponse<String> response = get("/api/v1/organizations/" + org, TestTokens.member(org));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("id").asText()).isEqualTo(org);
        assertThat(body.path("plan").asText()).isEqualTo("pro");
        assertThat(body.path("limits").path("requests_per_minute").asLong()).isEqualTo(600);
        assertThat(body.path("limits").path("requests_per_day").asLong()).isEqualTo(100_000);
        assertThat(body.path("created_at").asText()).isNotBlank();
    }

    @Test
    void listsEveryOrganizationForAPlatformAdmin() {
        HttpResponse<String> response = get("/api/v1/organizations", TestTokens.platformAdmin());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(StreamSupport.stream(json(response).path("data").spliterator(), false)
                        .map(entry -> entry.path("id").asText()))
                .contains(org, otherOrg);
    }

    @Test
    void refusesTheListToAnyoneButAPlatformAdmin() {
        assertThat(get("/api/v1/organizations", TestTokens.admin(org)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void refusesAnotherOrganizationsMember() {
        HttpResponse<String> response = get("/api/v1/organizations/" + org, TestTokens.admin(otherOrg));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).path("code").asText()).isEqualTo("INSUFFICIENT_PERMISSIONS");
    }

    @Test
    void answersNotFoundForAnUnknownOrganization() {
        HttpResponse<String> response =
                get("/api/v1/organizations/org_01JH0000000000000000000099", TestTokens.platformAdmin());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void refusesACallWithoutAToken() {
        assertThat(get("/api/v1/organizations/" + org, null).statusCode()).isEqualTo(401);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return KeyledgerJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
