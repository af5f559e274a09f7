package dev.keyledger.command.apikey;

import static dev.keyledger.command.support.ApiAssertions.assertError;
import static dev.keyledger.command.support.ApiAssertions.assertForbidden;
import static dev.keyledger.command.support.ApiAssertions.assertNotFound;
import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static dev.keyledger.command.support.ApiAssertions.assertValidationFailed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.KeyCheck;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Actor;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeyApiIntegrationTest extends ManagementApiIntegrationTestBase {

    private static String keys(String organizationId) {
        return "/api/v1/organizations/" + organizationId + "/api-keys";
    }

    @Test
    void orgAdminIssuesSecretKeyShownOnce() {
        String organizationId = newOrganization();
        ApiClient.Response response = api.post(keys(organizationId), orgAdmin(organizationId), "{\"name\":\"CI\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String id = response.text("id");
        String key = response.text("key");
        assertThat(id).startsWith("key_");
        assertThat(response.header("Location")).isEqualTo(keys(organizationId) + "/" + id);
        assertThat(ApiKeyFormat.check(key)).isEqualTo(KeyCheck.VALID_SECRET);
        assertThat(response.text("type")).isEqualTo("secret");
        assertThat(response.text("name")).isEqualTo("CI");
        assertThat(response.text("organization_id")).isEqualTo(organizationId);
        assertThat(response.json().has("database_id")).isTrue();
        assertThat(response.text("database_id")).isNull();
        assertThat(response.text("last_four")).isEqualTo(key.substring(key.length() - 4));
        assertThat(response.text("created_by")).isEqualTo("alice");
        assertThat(response.text("created_at")).isNotBlank();
        assertThat(response.json().has("expires_at")).isTrue();
        assertThat(response.json().has("replaces")).isFalse();
        assertThat(eventTypes(id)).containsExactly("ApiKeyIssuedEvent");
    }

    @Test
    void eventsCarryTheActor() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        assertThat(metadataMember(id, 0, Actor.META_SUBJECT)).isEqualTo("alice");
        assertThat(metadataMember(id, 0, Actor.META_IP)).isEqualTo("127.0.0.1");
        assertThat(metadataMember(id, 0, Actor.META_USER_AGENT)).isEqualTo("keyledger-test");
    }

    /** One member of an event's metadata, read as JSON (the store may re-serialize it). */
    private String metadataMember(String aggregateId, long sequenceNumber, String member) {
        return jdbc.sql("SELECT convert_from(metadata, 'UTF8')::jsonb ->> ? FROM domainevententry"
                        + " WHERE aggregateidentifier = ? AND sequencenumber = ?")
                .param(member)
                .param(aggregateId)
                .param(sequenceNumber)
                .query(String.class)
                .single();
    }

    @Test
    void orgAdminIssuesPublicKeyForADatabaseOfTheOrganization() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        ApiClient.Response response = api.post(
                "/api/v1/organizations/" + organizationId + "/databases/" + databaseId + "/api-keys",
                orgAdmin(organizationId),
                "{\"name\":\"Web\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.text("type")).isEqualTo("public");
        assertThat(ApiKeyFormat.check(response.text("key"))).isEqualTo(KeyCheck.VALID_PUBLIC);
        assertThat(response.text("database_id")).isEqualTo(databaseId);
    }

    @Test
    void publicKeyForADatabaseOfAnotherOrganizationIsNotFound() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String other = newOrganization();
        assertNotFound(api.post(
                "/api/v1/organizations/" + other + "/databases/" + databaseId + "/api-keys",
                orgAdmin(other),
                "{\"name\":\"Web\"}"));
        assertNotFound(api.post(
                "/api/v1/organizations/" + other + "/databases/" + Ids.newDatabaseId() + "/api-keys",
                orgAdmin(other),
                "{\"name\":\"Web\"}"));
    }

    @Test
    void secretKeyForUnknownOrganizationIsNotFound() {
        assertNotFound(api.post(keys(Ids.newOrganizationId()), PLATFORM_ADMIN_TOKEN, "{\"name\":\"CI\"}"));
    }

    @Test
    void expiresAtMustBeInTheFuture() {
        String organizationId = newOrganization();
        long before = storedEvents();
        assertValidationFailed(
                api.post(
                        keys(organizationId),
                        orgAdmin(organizationId),
                        "{\"name\":\"CI\",\"expires_at\":\"2001-01-01T00:00:00Z\"}"),
                "expires_at");
        assertValidationFailed(
                api.post(
                        keys(organizationId),
                        orgAdmin(organizationId),
                        "{\"name\":\"CI\",\"expires_at\":\"tomorrow\"}"),
                "expires_at");
        assertThat(storedEvents()).isEqualTo(before);

        Instant future = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ApiClient.Response response = api.post(
                keys(organizationId), orgAdmin(organizationId), "{\"name\":\"CI\",\"expires_at\":\"" + future + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(Instant.parse(response.text("expires_at"))).isEqualTo(future);
    }

    @Test
    void keyExpiresAtItsExpiryTime() {
        String organizationId = newOrganization();
        Instant soon = Instant.now().plusSeconds(2);
        ApiClient.Response response = api.post(
                keys(organizationId), orgAdmin(organizationId), "{\"name\":\"CI\",\"expires_at\":\"" + soon + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String id = response.text("id");

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () -> assertThat(eventTypes(id)).containsExactly("ApiKeyIssuedEvent", "ApiKeyExpiredEvent"));
        assertThat(metadataMember(id, 1, Actor.META_SUBJECT)).isEqualTo("system");
        assertThat(jdbc.sql("SELECT count(*) FROM api_key_expiry WHERE key_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void orgAdminRenamesKeyAndGetsItWithoutPlaintext() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        ApiClient.Response response =
                api.patch(keys(organizationId) + "/" + id, orgAdmin(organizationId), "{\"name\":\"Deploy\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.text("name")).isEqualTo("Deploy");
        assertThat(response.text("id")).isEqualTo(id);
        assertThat(response.json().has("key")).isFalse();
        assertThat(response.text("last_four")).hasSize(4);
        assertThat(eventTypes(id)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRenamedEvent");
    }

    @Test
    void renameValidatesAndHidesKeysOfOtherOrganizations() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        String other = newOrganization();
        assertValidationFailed(
                api.patch(keys(organizationId) + "/" + id, orgAdmin(organizationId), "{\"name\":\"\\u202Eevil\"}"),
                "name");
        assertNotFound(api.patch(keys(other) + "/" + id, orgAdmin(other), "{\"name\":\"Mine\"}"));
        assertNotFound(api.patch(
                keys(organizationId) + "/" + Ids.newKeyId() + "", orgAdmin(organizationId), "{\"name\":\"X\"}"));
        assertForbidden(api.patch(keys(organizationId) + "/" + id, orgAdmin(other), "{\"name\":\"X\"}"));
        assertForbidden(api.patch(keys(organizationId) + "/" + id, orgMember(organizationId), "{\"name\":\"X\"}"));
        assertUnauthorized(api.patch(keys(organizationId) + "/" + id, null, "{\"name\":\"X\"}"));
    }

    @Test
    void rollIssuesSuccessorAtOnceAndOldKeyExpiresAfterGrace() {
        String organizationId = newOrganization();
        String oldId = newSecretKey(organizationId).text("id");
        ApiClient.Response response = api.post(
                keys(organizationId) + "/" + oldId + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":1}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        String newId = response.text("id");
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(response.text("replaces")).isEqualTo(oldId);
        assertThat(ApiKeyFormat.check(response.text("key"))).isEqualTo(KeyCheck.VALID_SECRET);
        assertThat(response.header("Location")).isEqualTo(keys(organizationId) + "/" + newId);
        assertThat(eventTypes(newId)).containsExactly("ApiKeyIssuedEvent");
        assertThat(eventTypes(oldId)).startsWith("ApiKeyIssuedEvent", "ApiKeyRolledEvent");

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(eventTypes(oldId))
                        .containsExactly("ApiKeyIssuedEvent", "ApiKeyRolledEvent", "ApiKeyExpiredEvent"));
        assertThat(eventTypes(newId)).containsExactly("ApiKeyIssuedEvent");
    }

    @Test
    void rollWithoutGraceExpiresTheOldKeyImmediately() {
        String organizationId = newOrganization();
        String oldId = newSecretKey(organizationId).text("id");
        ApiClient.Response response = api.post(
                keys(organizationId) + "/" + oldId + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":0}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(eventTypes(oldId)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRolledEvent", "ApiKeyExpiredEvent");
    }

    @Test
    void rollRefusesBadGraceRolledKeysAndForeignKeys() {
        String organizationId = newOrganization();
        String oldId = newSecretKey(organizationId).text("id");
        String roll = keys(organizationId) + "/" + oldId + "/roll";
        assertValidationFailed(
                api.post(roll, orgAdmin(organizationId), "{\"grace_period_seconds\":604801}"), "grace_period_seconds");
        assertValidationFailed(
                api.post(roll, orgAdmin(organizationId), "{\"grace_period_seconds\":-1}"), "grace_period_seconds");
        assertValidationFailed(api.post(roll, orgAdmin(organizationId), "{}"), "grace_period_seconds");
        String other = newOrganization();
        assertNotFound(api.post(keys(other) + "/" + oldId + "/roll", orgAdmin(other), "{\"grace_period_seconds\":60}"));
        assertForbidden(api.post(roll, orgMember(organizationId), "{\"grace_period_seconds\":60}"));
        assertUnauthorized(api.post(roll, null, "{\"grace_period_seconds\":60}"));

        assertThat(api.post(roll, orgAdmin(organizationId), "{\"grace_period_seconds\":604800}")
                        .status())
                .isEqualTo(201);
        assertError(api.post(roll, orgAdmin(organizationId), "{\"grace_period_seconds\":60}"), 409, "CONFLICT");
    }

    @Test
    void revokeIsIdempotent() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        ApiClient.Response first = api.delete(keys(organizationId) + "/" + id, orgAdmin(organizationId));
        assertThat(first.status()).isEqualTo(204);
        assertThat(first.body()).isEmpty();
        long after = storedEvents();

        ApiClient.Response second = api.delete(keys(organizationId) + "/" + id, orgAdmin(organizationId));

        assertThat(second.status()).isEqualTo(204);
        assertThat(storedEvents()).isEqualTo(after);
        assertThat(eventTypes(id)).containsExactly("ApiKeyIssuedEvent", "ApiKeyRevokedEvent");
    }

    @Test
    void revokingUnknownOrForeignKeyIsNotFound() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        String other = newOrganization();
        ApiClient.Response foreign = api.delete(keys(other) + "/" + id, orgAdmin(other));
        ApiClient.Response unknown = api.delete(keys(other) + "/" + Ids.newKeyId() + "", orgAdmin(other));
        assertNotFound(foreign);
        assertNotFound(unknown);
        assertThat(foreign.body()).isEqualTo(unknown.body());
        assertNotFound(api.delete(keys(other) + "/not-a-key", orgAdmin(other)));
        assertThat(eventTypes(id)).containsExactly("ApiKeyIssuedEvent");
    }

    @Test
    void keyCallsNeedOrgAdminOfTheOrganization() {
        String organizationId = newOrganization();
        String id = newSecretKey(organizationId).text("id");
        String other = newOrganization();
        assertForbidden(api.post(keys(organizationId), orgAdmin(other), "{\"name\":\"CI\"}"));
        assertForbidden(api.post(keys(organizationId), orgMember(organizationId), "{\"name\":\"CI\"}"));
        assertForbidden(api.delete(keys(organizationId) + "/" + id, orgMember(organizationId)));
        assertUnauthorized(api.post(keys(organizationId), null, "{\"name\":\"CI\"}"));
        assertUnauthorized(api.delete(keys(organizationId) + "/" + id, null));
        assertThat(api.post(keys(organizationId), PLATFORM_ADMIN_TOKEN, "{\"name\":\"Ops\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void apiKeyCannotManageApiKeys() {
        String organizationId = newOrganization();
        String key = newSecretKey(organizationId).text("key");
        for (ApiClient.Response response : new ApiClient.Response[] {
            api.request("POST", keys(organizationId))
                    .header("X-API-Key", key)
                    .json("{\"name\":\"CI\"}")
                    .send(),
            api.request("DELETE", keys(organizationId) + "/" + Ids.newKeyId())
                    .header("X-API-Key", key)
                    .send(),
            api.request("PATCH", keys(organizationId) + "/" + Ids.newKeyId())
                    .header("X-API-Key", key)
                    .json("{\"name\":\"X\"}")
                    .send()
        }) {
            assertForbidden(response);
            assertThat(response.text("message")).isEqualTo("API keys cannot manage API keys");
        }
    }
}
