package dev.keyledger.command.apikey;

import static dev.keyledger.command.support.ApiAssertions.assertError;
import static dev.keyledger.command.support.ApiAssertions.assertForbidden;
import static dev.keyledger.command.support.ApiAssertions.assertNotFound;
import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static dev.keyledger.command.support.ApiAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suspension, revoke-all and database deletion through the management API on a real PostgreSQL
 * event store: answers, stored events and refusals. What the edge does with them is tested end to
 * end in the standalone (IncidentResponseIntegrationTest).
 */
class IncidentResponseApiIntegrationTest extends ManagementApiIntegrationTestBase {

    private static final String OTHER_ORGANIZATION = "org_01JH0000000000000000000000";

    private static String organization(String organizationId) {
        return "/api/v1/organizations/" + organizationId;
    }

    private static String revokeAll(String organizationId) {
        return organization(organizationId) + "/api-keys/revoke-all";
    }

    private ApiClient.Response suspend(String organizationId, String token, String body) {
        return api.post(organization(organizationId) + "/suspend", token, body);
    }

    private ApiClient.Response reactivate(String organizationId, String token) {
        return api.request("POST", organization(organizationId) + "/reactivate")
                .bearer(token)
                .send();
    }

    private String newPublicKey(String organizationId, String databaseId) {
        ApiClient.Response response = api.post(
                organization(organizationId) + "/databases/" + databaseId + "/api-keys",
                orgAdmin(organizationId),
                "{\"name\":\"Widget\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.text("id");
    }

    private String lastPayload(String aggregateId) {
        return jdbc.sql("SELECT convert_from(payload, 'UTF8') FROM domainevententry WHERE aggregateidentifier = ?"
                        + " ORDER BY sequencenumber DESC LIMIT 1")
                .param(aggregateId)
                .query(String.class)
                .single();
    }

    private String lastMetadata(String aggregateId) {
        return jdbc.sql("SELECT convert_from(metadata, 'UTF8') FROM domainevententry WHERE aggregateidentifier = ?"
                        + " ORDER BY sequencenumber DESC LIMIT 1")
                .param(aggregateId)
                .query(String.class)
                .single();
    }

    @Test
    void platformAdminSuspendsAndReactivatesAnOrganization() {
        String organizationId = newOrganization();

        ApiClient.Response suspended =
                suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"  Unpaid invoices  \"}");

        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.text("id")).isEqualTo(organizationId);
        assertThat(suspended.text("status")).isEqualTo("suspended");
        assertThat(suspended.text("suspended_reason")).isEqualTo("Unpaid invoices");
        assertThat(suspended.text("suspended_at")).isNotBlank();
        assertThat(suspended.text("plan")).isEqualTo("free");
        assertThat(eventTypes(organizationId))
                .containsExactly("OrganizationCreatedEvent", "OrganizationSuspendedEvent");
        assertThat(lastPayload(organizationId)).contains("Unpaid invoices");

        ApiClient.Response reactivated = reactivate(organizationId, PLATFORM_ADMIN_TOKEN);

        assertThat(reactivated.status()).as(reactivated.body()).isEqualTo(200);
        assertThat(reactivated.text("status")).isEqualTo("active");
        assertThat(reactivated.json().has("suspended_reason")).isFalse();
        assertThat(eventTypes(organizationId))
                .containsExactly(
                        "OrganizationCreatedEvent", "OrganizationSuspendedEvent", "OrganizationReactivatedEvent");
    }

    @Test
    void suspendingTwiceOrReactivatingAnActiveOrganizationChangesNothing() {
        String organizationId = newOrganization();
        assertThat(reactivate(organizationId, PLATFORM_ADMIN_TOKEN).text("status"))
                .isEqualTo("active");
        suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"first\"}");

        ApiClient.Response again = suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"second\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("suspended_reason")).isEqualTo("first");
        assertThat(eventTypes(organizationId))
                .containsExactly("OrganizationCreatedEvent", "OrganizationSuspendedEvent");
    }

    @Test
    void onlyAPlatformAdminSuspendsOrReactivates() {
        String organizationId = newOrganization();

        assertForbidden(suspend(organizationId, orgAdmin(organizationId), "{\"reason\":\"x\"}"));
        assertForbidden(suspend(organizationId, orgMember(organizationId), "{\"reason\":\"x\"}"));
        assertForbidden(reactivate(organizationId, orgAdmin(organizationId)));
        assertUnauthorized(api.request("POST", organization(organizationId) + "/suspend")
                .json("{\"reason\":\"x\"}")
                .send());
        assertUnauthorized(api.request("POST", organization(organizationId) + "/reactivate")
                .send());
        assertThat(eventTypes(organizationId)).containsExactly("OrganizationCreatedEvent");
    }

    @Test
    void suspendingAnUnknownOrganizationIsNotFound() {
        assertNotFound(suspend(OTHER_ORGANIZATION, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"x\"}"));
        assertNotFound(suspend("not-an-id", PLATFORM_ADMIN_TOKEN, "{\"reason\":\"x\"}"));
        assertNotFound(reactivate(OTHER_ORGANIZATION, PLATFORM_ADMIN_TOKEN));
    }

    @Test
    void aSuspensionNeedsAReadableReason() {
        String organizationId = newOrganization();
        long before = storedEvents();

        assertValidationFailed(suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{}"), "reason");
        assertValidationFailed(suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"   \"}"), "reason");
        assertValidationFailed(
                suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"" + "a".repeat(501) + "\"}"), "reason");
        assertValidationFailed(
                suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"line\\nbreak\"}"), "reason");
        assertError(suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":5}"), 400, "VALIDATION_FAILED");
        assertError(suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":"), 400, "VALIDATION_FAILED");
        assertError(
                suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"x\",\"extra\":1}"),
                400,
                "VALIDATION_FAILED");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void aSuspendedOrganizationGetsNoNewKeysUntilReactivated() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String keyId = newSecretKey(organizationId).text("id");
        suspend(organizationId, PLATFORM_ADMIN_TOKEN, "{\"reason\":\"fraud review\"}");

        assertError(
                api.post(organization(organizationId) + "/api-keys", orgAdmin(organizationId), "{\"name\":\"CI\"}"),
                409,
                "CONFLICT");
        assertError(
                api.post(
                        organization(organizationId) + "/databases/" + databaseId + "/api-keys",
                        orgAdmin(organizationId),
                        "{\"name\":\"Widget\"}"),
                409,
                "CONFLICT");
        assertError(
                api.post(
                        organization(organizationId) + "/api-keys/" + keyId + "/roll",
                        orgAdmin(organizationId),
                        "{\"grace_period_seconds\":0}"),
                409,
                "CONFLICT");

        reactivate(organizationId, PLATFORM_ADMIN_TOKEN);

        assertThat(newSecretKey(organizationId).status()).isEqualTo(201);
    }

    @Test
    void revokeAllRevokesEveryUsableKeyOnceWithTheCallersReason() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String first = newSecretKey(organizationId).text("id");
        String second = newSecretKey(organizationId).text("id");
        String publicKey = newPublicKey(organizationId, databaseId);
        String alreadyRevoked = newSecretKey(organizationId).text("id");
        api.delete(organization(organizationId) + "/api-keys/" + alreadyRevoked, orgAdmin(organizationId));
        String rolled = newSecretKey(organizationId).text("id");
        String successor = api.post(
                        organization(organizationId) + "/api-keys/" + rolled + "/roll",
                        orgAdmin(organizationId),
                        "{\"grace_period_seconds\":3600}")
                .text("id");

        ApiClient.Response response = api.post(
                revokeAll(organizationId),
                orgAdmin(organizationId),
                "{\"reason\":\"Keys leaked in a public repository\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("revoked").asInt()).isEqualTo(5);
        for (String keyId : List.of(first, second, publicKey, rolled, successor)) {
            assertThat(eventTypes(keyId)).last().isEqualTo("ApiKeyRevokedEvent");
            assertThat(lastPayload(keyId)).contains("\"reason\":\"Keys leaked in a public repository\"");
            assertThat(lastMetadata(keyId)).contains("alice");
        }
        assertThat(eventTypes(alreadyRevoked)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRevokedEvent");
        // A single revocation through DELETE carries no reason.
        assertThat(lastPayload(alreadyRevoked)).doesNotContain("reason");

        ApiClient.Response again =
                api.post(revokeAll(organizationId), orgAdmin(organizationId), "{\"reason\":\"again\"}");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("revoked").asInt()).isZero();
    }

    @Test
    void revokeAllOfOneDatabaseLeavesTheOtherKeys() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String otherDatabaseId = newDatabase(organizationId);
        String inDatabase = newPublicKey(organizationId, databaseId);
        String inOtherDatabase = newPublicKey(organizationId, otherDatabaseId);
        String secret = newSecretKey(organizationId).text("id");

        ApiClient.Response response = api.post(
                revokeAll(organizationId),
                PLATFORM_ADMIN_TOKEN,
                "{\"reason\":\"widget abuse\",\"database_id\":\"" + databaseId + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("revoked").asInt()).isEqualTo(1);
        assertThat(eventTypes(inDatabase)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRevokedEvent");
        assertThat(eventTypes(inOtherDatabase)).containsExactly("ApiKeyIssuedEvent");
        assertThat(eventTypes(secret)).containsExactly("ApiKeyIssuedEvent");
    }

    @Test
    void revokeAllIsForTheOrganizationsAdminsAndPlatformAdmins() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");
        String body = "{\"reason\":\"x\"}";

        assertForbidden(api.post(revokeAll(organizationId), orgMember(organizationId), body));
        assertForbidden(api.post(revokeAll(organizationId), orgAdmin(OTHER_ORGANIZATION), body));
        assertUnauthorized(
                api.request("POST", revokeAll(organizationId)).json(body).send());
        assertForbidden(api.request("POST", revokeAll(organizationId))
                .header("X-API-Key", "sk_x")
                .json(body)
                .send());
        assertThat(eventTypes(keyId)).containsExactly("ApiKeyIssuedEvent");
        assertNotFound(api.post(revokeAll(OTHER_ORGANIZATION), PLATFORM_ADMIN_TOKEN, body));
    }

    @Test
    void revokeAllRefusesBadBodiesAndForeignDatabases() {
        String organizationId = newOrganization();
        String otherOrganizationId = newOrganization();
        String foreignDatabase = newDatabase(otherOrganizationId);
        String keyId = newSecretKey(organizationId).text("id");
        String admin = orgAdmin(organizationId);

        assertValidationFailed(api.post(revokeAll(organizationId), admin, "{}"), "reason");
        assertValidationFailed(
                api.post(revokeAll(organizationId), admin, "{\"reason\":\"" + "x".repeat(501) + "\"}"), "reason");
        assertValidationFailed(
                api.post(revokeAll(organizationId), admin, "{\"reason\":\"x\",\"database_id\":\"nope\"}"),
                "database_id");
        assertError(api.post(revokeAll(organizationId), admin, "{\"reason\":[]}"), 400, "VALIDATION_FAILED");
        assertError(api.post(revokeAll(organizationId), admin, "not json"), 400, "VALIDATION_FAILED");
        assertNotFound(api.post(
                revokeAll(organizationId), admin, "{\"reason\":\"x\",\"database_id\":\"" + foreignDatabase + "\"}"));
        assertNotFound(api.post(
                revokeAll(organizationId),
                admin,
                "{\"reason\":\"x\",\"database_id\":\"db_01JH0000000000000000000000\"}"));
        assertThat(eventTypes(keyId)).containsExactly("ApiKeyIssuedEvent");
    }

    @Test
    void deletingADatabaseRevokesItsPublicKeysFirstAndThenItIsGone() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String first = newPublicKey(organizationId, databaseId);
        String second = newPublicKey(organizationId, databaseId);
        String secret = newSecretKey(organizationId).text("id");
        String database = organization(organizationId) + "/databases/" + databaseId;

        ApiClient.Response response = api.delete(database, orgAdmin(organizationId));

        assertThat(response.status()).as(response.body()).isEqualTo(204);
        assertThat(eventTypes(databaseId)).containsExactly("DatabaseCreatedEvent", "DatabaseDeletedEvent");
        for (String keyId : List.of(first, second)) {
            assertThat(eventTypes(keyId)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRevokedEvent");
            assertThat(lastPayload(keyId)).contains("\"reason\":\"database deleted\"");
        }
        Long revokedBeforeDeletion = jdbc.sql("SELECT count(*) FROM domainevententry k, domainevententry d"
                        + " WHERE k.aggregateidentifier IN (?, ?) AND k.payloadtype LIKE '%ApiKeyRevokedEvent'"
                        + " AND d.aggregateidentifier = ? AND d.payloadtype LIKE '%DatabaseDeletedEvent'"
                        + " AND k.globalindex < d.globalindex")
                .params(first, second, databaseId)
                .query(Long.class)
                .single();
        assertThat(revokedBeforeDeletion).isEqualTo(2);
        assertThat(eventTypes(secret)).containsExactly("ApiKeyIssuedEvent");

        assertNotFound(api.delete(database, orgAdmin(organizationId)));
        assertNotFound(api.post(database + "/api-keys", orgAdmin(organizationId), "{\"name\":\"late\"}"));
        assertNotFound(api.put(
                database + "/allowed-origins",
                orgAdmin(organizationId),
                "{\"allowed_origins\":[\"https://a.example\"]}"));
        assertNotFound(api.post(
                revokeAll(organizationId),
                orgAdmin(organizationId),
                "{\"reason\":\"x\",\"database_id\":\"" + databaseId + "\"}"));
    }

    @Test
    void onlyTheOrganizationsAdminsOrAPlatformAdminDeleteADatabase() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String database = organization(organizationId) + "/databases/" + databaseId;

        assertForbidden(api.delete(database, orgMember(organizationId)));
        assertForbidden(api.delete(database, orgAdmin(OTHER_ORGANIZATION)));
        assertForbidden(api.delete(database, TestJwts.token("eve", OTHER_ORGANIZATION, TestJwts.ORG_MEMBER)));
        assertUnauthorized(api.request("DELETE", database).send());
        assertNotFound(api.delete(organization(organizationId) + "/databases/not-an-id", orgAdmin(organizationId)));
        assertNotFound(api.delete(
                organization(OTHER_ORGANIZATION) + "/databases/" + databaseId, orgAdmin(OTHER_ORGANIZATION)));
        assertThat(eventTypes(databaseId)).containsExactly("DatabaseCreatedEvent");

        assertThat(api.delete(database, PLATFORM_ADMIN_TOKEN).status()).isEqualTo(204);
    }
}
