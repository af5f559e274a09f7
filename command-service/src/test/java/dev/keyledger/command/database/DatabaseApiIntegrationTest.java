package dev.keyledger.command.database;

import static dev.keyledger.command.support.ApiAssertions.assertError;
import static dev.keyledger.command.support.ApiAssertions.assertForbidden;
import static dev.keyledger.command.support.ApiAssertions.assertNotFound;
import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.id.Ids;
import org.junit.jupiter.api.Test;

class DatabaseApiIntegrationTest extends ManagementApiIntegrationTestBase {

    private static String databases(String organizationId) {
        return "/api/v1/organizations/" + organizationId + "/databases";
    }

    @Test
    void orgAdminCreatesDatabaseWithAllowedOrigins() {
        String organizationId = newOrganization();
        ApiClient.Response response = api.post(
                databases(organizationId),
                orgAdmin(organizationId),
                "{\"name\":\"Main\",\"allowed_origins\":[\"https://app.example.com\",\"https://*.example.com\","
                        + "\"https://app.example.com\"]}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String id = response.text("id");
        assertThat(id).startsWith("db_");
        assertThat(response.header("Location")).isEqualTo(databases(organizationId) + "/" + id);
        assertThat(response.text("organization_id")).isEqualTo(organizationId);
        assertThat(response.text("name")).isEqualTo("Main");
        assertThat(response.json().get("allowed_origins").values().stream().map(n -> n.asString()))
                .containsExactly("https://app.example.com", "https://*.example.com");
        assertThat(response.text("created_at")).isNotBlank();
        assertThat(eventTypes(id)).containsExactly("DatabaseCreatedEvent");
    }

    @Test
    void platformAdminMayCreateDatabaseForAnyOrganization() {
        String organizationId = newOrganization();
        ApiClient.Response response =
                api.post(databases(organizationId), PLATFORM_ADMIN_TOKEN, "{\"name\":\"Ops\",\"allowed_origins\":[]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void refusesInvalidOriginsWithDetailsAndStoresNothing() {
        String organizationId = newOrganization();
        long before = storedEvents();
        ApiClient.Response response = api.post(
                databases(organizationId),
                orgAdmin(organizationId),
                "{\"name\":\"Main\",\"allowed_origins\":[\"https://ok.example.com\",\"https://example.com/path\","
                        + "\"https://*.com\"]}");

        assertError(response, 400, "VALIDATION_FAILED");
        assertThat(response.json().get("details").values().stream()
                        .map(d -> d.get("field").asString()))
                .containsExactly("allowed_origins[1]", "allowed_origins[2]");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void refusesMissingOriginsAndBadNames() {
        String organizationId = newOrganization();
        assertError(
                api.post(databases(organizationId), orgAdmin(organizationId), "{\"name\":\"Main\"}"),
                400,
                "VALIDATION_FAILED");
        assertError(
                api.post(
                        databases(organizationId),
                        orgAdmin(organizationId),
                        "{\"name\":\"a\\u0000b\",\"allowed_origins\":[]}"),
                400,
                "VALIDATION_FAILED");
    }

    @Test
    void unknownOrganizationIsNotFound() {
        assertNotFound(api.post(
                databases(Ids.newOrganizationId()),
                PLATFORM_ADMIN_TOKEN,
                "{\"name\":\"Main\",\"allowed_origins\":[]}"));
    }

    @Test
    void adminOfAnotherOrganizationAndMembersAreForbidden() {
        String organizationId = newOrganization();
        String other = newOrganization();
        String body = "{\"name\":\"Main\",\"allowed_origins\":[]}";
        assertForbidden(api.post(databases(organizationId), orgAdmin(other), body));
        assertForbidden(api.post(databases(organizationId), orgMember(organizationId), body));
        assertForbidden(api.post(databases(organizationId), TestJwts.token("carol", organizationId), body));
    }

    @Test
    void missingTokenIsUnauthorizedAndApiKeyIsForbidden() {
        String organizationId = newOrganization();
        String body = "{\"name\":\"Main\",\"allowed_origins\":[]}";
        assertUnauthorized(api.post(databases(organizationId), null, body));
        ApiClient.Response withKey = api.request("POST", databases(organizationId))
                .header("X-API-Key", "sk_whatever")
                .json(body)
                .send();
        assertForbidden(withKey);
        assertThat(withKey.text("message")).isEqualTo("API keys cannot manage API keys");
    }

    @Test
    void orgAdminReplacesAllowedOrigins() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        ApiClient.Response response = api.put(
                databases(organizationId) + "/" + databaseId + "/allowed-origins",
                orgAdmin(organizationId),
                "{\"allowed_origins\":[\"http://localhost:3000\"]}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("id")).isEqualTo(databaseId);
        assertThat(response.json().get("allowed_origins").get(0).asString()).isEqualTo("http://localhost:3000");
        assertThat(eventTypes(databaseId)).containsExactly("DatabaseCreatedEvent", "AllowedOriginsChangedEvent");
    }

    @Test
    void databaseOfAnotherOrganizationIsNotFound() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String other = newOrganization();
        assertNotFound(api.put(
                databases(other) + "/" + databaseId + "/allowed-origins", orgAdmin(other), "{\"allowed_origins\":[]}"));
        assertNotFound(api.put(
                databases(organizationId) + "/" + Ids.newDatabaseId() + "/allowed-origins",
                orgAdmin(organizationId),
                "{\"allowed_origins\":[]}"));
    }

    @Test
    void replacingOriginsValidatesAndChecksRoles() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String path = databases(organizationId) + "/" + databaseId + "/allowed-origins";
        assertError(
                api.put(path, orgAdmin(organizationId), "{\"allowed_origins\":[\"http://*.example.com\"]}"),
                400,
                "VALIDATION_FAILED");
        assertForbidden(api.put(path, orgMember(organizationId), "{\"allowed_origins\":[]}"));
        assertUnauthorized(api.put(path, null, "{\"allowed_origins\":[]}"));
    }
}
