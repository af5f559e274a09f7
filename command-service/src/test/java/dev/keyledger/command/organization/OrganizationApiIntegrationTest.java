package dev.keyledger.command.organization;

import static dev.keyledger.command.support.ApiAssertions.assertForbidden;
import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static dev.keyledger.command.support.ApiAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.id.Ids;
import org.junit.jupiter.api.Test;

class OrganizationApiIntegrationTest extends ManagementApiIntegrationTestBase {

    private static final String ORGANIZATIONS = "/api/v1/organizations";

    @Test
    void platformAdminCreatesOrganizationWithThePlanLimits() {
        ApiClient.Response response =
                api.post(ORGANIZATIONS, PLATFORM_ADMIN_TOKEN, "{\"name\":\"  Acme GmbH \",\"plan\":\"starter\"}");

        assertThat(response.status()).isEqualTo(201);
        String id = response.text("id");
        assertThat(id).startsWith("org_");
        assertThat(response.header("Location")).isEqualTo(ORGANIZATIONS + "/" + id);
        assertThat(response.text("name")).isEqualTo("Acme GmbH");
        assertThat(response.text("plan")).isEqualTo("starter");
        assertThat(response.json().get("limits").get("requests_per_minute").asLong())
                .isEqualTo(60);
        assertThat(response.json().get("limits").get("requests_per_day").asLong())
                .isEqualTo(10_000);
        assertThat(response.text("created_at")).isNotBlank();
        assertThat(eventTypes(id)).containsExactly("OrganizationCreatedEvent");
    }

    @Test
    void enterpriseOrganizationNeedsLimits() {
        ApiClient.Response missing =
                api.post(ORGANIZATIONS, PLATFORM_ADMIN_TOKEN, "{\"name\":\"Big\",\"plan\":\"enterprise\"}");
        assertValidationFailed(missing, "limits");

        ApiClient.Response created = api.post(
                ORGANIZATIONS,
                PLATFORM_ADMIN_TOKEN,
                "{\"name\":\"Big\",\"plan\":\"enterprise\","
                        + "\"limits\":{\"requests_per_minute\":5000,\"requests_per_day\":9000000}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("limits").get("requests_per_minute").asLong())
                .isEqualTo(5000);
    }

    @Test
    void refusesUnknownPlanAndLimitsOnAStandardPlan() {
        assertValidationFailed(
                api.post(ORGANIZATIONS, PLATFORM_ADMIN_TOKEN, "{\"name\":\"A\",\"plan\":\"gold\"}"), "plan");
        assertValidationFailed(
                api.post(
                        ORGANIZATIONS,
                        PLATFORM_ADMIN_TOKEN,
                        "{\"name\":\"A\",\"plan\":\"pro\",\"limits\":{\"requests_per_minute\":1,\"requests_per_day\":1}}"),
                "limits");
        assertValidationFailed(
                api.post(ORGANIZATIONS, PLATFORM_ADMIN_TOKEN, "{\"name\":\"\",\"plan\":\"pro\"}"), "name");
        assertValidationFailed(
                api.post(
                        ORGANIZATIONS, PLATFORM_ADMIN_TOKEN, "{\"name\":\"" + "a".repeat(101) + "\",\"plan\":\"pro\"}"),
                "name");
    }

    @Test
    void orgAdminCannotCreateOrganizations() {
        String organizationId = newOrganization();
        ApiClient.Response response = api.post(
                ORGANIZATIONS,
                TestJwts.token("alice", organizationId, TestJwts.ORG_ADMIN),
                "{\"name\":\"A\",\"plan\":\"pro\"}");
        assertForbidden(response);
    }

    @Test
    void refusesMissingExpiredAndForeignTokens() {
        String body = "{\"name\":\"A\",\"plan\":\"pro\"}";
        assertUnauthorized(api.post(ORGANIZATIONS, null, body));
        assertUnauthorized(api.post(ORGANIZATIONS, "not-a-jwt", body));
        assertUnauthorized(api.post(ORGANIZATIONS, TestJwts.expiredToken("ops", null, TestJwts.PLATFORM_ADMIN), body));
        assertUnauthorized(api.post(ORGANIZATIONS, TestJwts.foreignToken("ops", null, TestJwts.PLATFORM_ADMIN), body));
    }

    @Test
    void apiKeyInsteadOfJwtIsForbidden() {
        ApiClient.Response response = api.request("POST", ORGANIZATIONS)
                .header("X-API-Key", "sk_anything")
                .json("{\"name\":\"A\",\"plan\":\"pro\"}")
                .send();
        assertForbidden(response);
        assertThat(response.text("message")).isEqualTo("API keys cannot manage API keys");
    }

    @Test
    void platformAdminChangesPlan() {
        String organizationId = newOrganization();
        ApiClient.Response response =
                api.put(ORGANIZATIONS + "/" + organizationId + "/plan", PLATFORM_ADMIN_TOKEN, "{\"plan\":\"pro\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("id")).isEqualTo(organizationId);
        assertThat(response.text("plan")).isEqualTo("pro");
        assertThat(response.json().get("limits").get("requests_per_day").asLong())
                .isEqualTo(100_000);
        assertThat(eventTypes(organizationId))
                .containsExactly("OrganizationCreatedEvent", "OrganizationPlanChangedEvent");
    }

    @Test
    void changingPlanOfUnknownOrganizationIsNotFound() {
        ApiClient.Response response = api.put(
                ORGANIZATIONS + "/" + Ids.newOrganizationId() + "/plan", PLATFORM_ADMIN_TOKEN, "{\"plan\":\"pro\"}");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text("code")).isEqualTo("NOT_FOUND");
        assertThat(api.put(ORGANIZATIONS + "/garbage/plan", PLATFORM_ADMIN_TOKEN, "{\"plan\":\"pro\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void changingPlanValidatesAndNeedsPlatformAdmin() {
        String organizationId = newOrganization();
        String path = ORGANIZATIONS + "/" + organizationId + "/plan";
        assertValidationFailed(api.put(path, PLATFORM_ADMIN_TOKEN, "{\"plan\":\"enterprise\"}"), "limits");
        assertForbidden(api.put(path, orgAdmin(organizationId), "{\"plan\":\"pro\"}"));
        assertUnauthorized(api.put(path, null, "{\"plan\":\"pro\"}"));
        assertForbidden(api.request("PUT", path)
                .header("X-API-Key", "sk_x")
                .json("{\"plan\":\"pro\"}")
                .send());
    }
}
