package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Every revoking answer (revoke, roll without grace, revoke-all, suspend, delete database) comes
 * only once the relay has published the change: a snapshot of the topic's end offsets taken right
 * after the answer already holds its record, and the record's timestamp (the relay's send) is not
 * after the answer. Both are orderings, not durations: without the wait the record reached the
 * broker 50 to 120 ms after the answer (docs/relay.md). And the wait reads the relay's durable
 * position: a second instance, whose relay owns no segment (the first one holds the token claim),
 * answers {@code published} once the first instance's relay published its revocation.
 */
class RelayPublicationIntegrationTest extends ManagementApiIntegrationTestBase {

    @Autowired
    Environment environment;

    @Test
    void aRevocationIsAnsweredOnlyOnceItsRecordIsOnTheTopic() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");

        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            ApiClient.Response revoked = api.delete(keyPath(organizationId, keyId), orgAdmin(organizationId));
            Instant answered = Instant.now();

            assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
            assertThat(revoked.header(RelayPublication.HEADER)).isEqualTo("published");
            assertOnTheTopicBy(topic, answered, keyId, "api_key.revoked");
        }
    }

    @Test
    void revokingARevokedKeyAgainIsPublishedToo() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");
        api.delete(keyPath(organizationId, keyId), orgAdmin(organizationId));

        ApiClient.Response again = api.delete(keyPath(organizationId, keyId), orgAdmin(organizationId));

        assertThat(again.status()).isEqualTo(204);
        assertThat(again.header(RelayPublication.HEADER)).isEqualTo("published");
    }

    @Test
    void aRollWithoutGraceIsAnsweredOnceTheOldKeysEndIsOnTheTopic() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");

        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            ApiClient.Response rolled = api.post(
                    keyPath(organizationId, keyId) + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":0}");
            Instant answered = Instant.now();

            assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
            assertThat(rolled.header(RelayPublication.HEADER)).isEqualTo("published");
            assertOnTheTopicBy(topic, answered, keyId, "api_key.expired");
            assertOnTheTopicBy(topic, answered, rolled.text("id"), "api_key.issued");
        }
    }

    @Test
    void aRollWithGraceDoesNotWait() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");

        ApiClient.Response rolled = api.post(
                keyPath(organizationId, keyId) + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":60}");

        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        assertThat(rolled.header(RelayPublication.HEADER)).isNull();
    }

    @Test
    void revokeAllIsAnsweredOnceEveryRevocationIsOnTheTopic() {
        String organizationId = newOrganization();
        List<String> keyIds = List.of(
                newSecretKey(organizationId).text("id"),
                newSecretKey(organizationId).text("id"),
                newSecretKey(organizationId).text("id"));

        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            ApiClient.Response response = api.post(
                    "/api/v1/organizations/" + organizationId + "/api-keys/revoke-all",
                    orgAdmin(organizationId),
                    "{\"reason\":\"leaked\"}");
            Instant answered = Instant.now();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.json().get("revoked").asInt()).isEqualTo(3);
            assertThat(response.header(RelayPublication.HEADER)).isEqualTo("published");
            for (String keyId : keyIds) {
                assertOnTheTopicBy(topic, answered, keyId, "api_key.revoked");
            }
        }
    }

    @Test
    void aSuspensionIsAnsweredOnceItIsOnTheTopic() {
        String organizationId = newOrganization();

        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            ApiClient.Response response = api.post(
                    "/api/v1/organizations/" + organizationId + "/suspend",
                    PLATFORM_ADMIN_TOKEN,
                    "{\"reason\":\"unpaid\"}");
            Instant answered = Instant.now();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(response.header(RelayPublication.HEADER)).isEqualTo("published");
            assertOnTheTopicBy(topic, answered, organizationId, "organization.suspended");
        }
    }

    @Test
    void aDatabaseDeletionIsAnsweredOnceItAndItsKeysRevocationsAreOnTheTopic() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        ApiClient.Response key = api.post(
                "/api/v1/organizations/" + organizationId + "/databases/" + databaseId + "/api-keys",
                orgAdmin(organizationId),
                "{\"name\":\"web\"}");
        assertThat(key.status()).as(key.body()).isEqualTo(201);

        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            ApiClient.Response response = api.delete(
                    "/api/v1/organizations/" + organizationId + "/databases/" + databaseId, orgAdmin(organizationId));
            Instant answered = Instant.now();

            assertThat(response.status()).as(response.body()).isEqualTo(204);
            assertThat(response.header(RelayPublication.HEADER)).isEqualTo("published");
            assertOnTheTopicBy(topic, answered, key.text("id"), "api_key.revoked");
            assertOnTheTopicBy(topic, answered, databaseId, "database.deleted");
        }
    }

    @Test
    void anInstanceWhoseRelayOwnsNoSegmentWaitsForTheRelayOfAnother() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");

        try (ConfigurableApplicationContext second = secondInstance();
                KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            RelayStartup secondRelay = second.getBean(RelayStartup.class);
            assertThat(secondRelay.ready())
                    .as("the second instance's relay claimed no segment")
                    .isFalse();
            int secondPort =
                    ((WebServerApplicationContext) second).getWebServer().getPort();

            ApiClient.Response revoked =
                    new ApiClient(secondPort).delete(keyPath(organizationId, keyId), orgAdmin(organizationId));
            Instant answered = Instant.now();

            assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
            assertThat(revoked.header(RelayPublication.HEADER)).isEqualTo("published");
            assertOnTheTopicBy(topic, answered, keyId, "api_key.revoked");
        }
    }

    /**
     * A second command-service on the same database and broker. Its relay cannot claim the token
     * segment the first one holds, so its start gate opens after a short timeout.
     */
    private ConfigurableApplicationContext secondInstance() {
        // Command-line arguments, not default properties: the service's own file would override those.
        return new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties("spring.config.name=" + CommandServiceApplication.CONFIG_NAME)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                        "--keyledger.relay.startup-timeout=1s",
                        "--keyledger.event-store.token-owner=second-instance",
                        "--keyledger.relay.publish-wait=30s",
                        "--keyledger.security.issuer=" + environment.getProperty("keyledger.security.issuer"),
                        "--spring.security.oauth2.resourceserver.jwt.audiences="
                                + environment.getProperty("spring.security.oauth2.resourceserver.jwt.audiences"),
                        "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                                + TestJwts.publicKeyPem().toAbsolutePath());
    }

    /**
     * The topic up to its end offsets as read now, i.e. right after the answer, holds the record of
     * {@code type} for {@code aggregateId}, sent no later than the answer arrived.
     */
    private static void assertOnTheTopicBy(KeyEventsTopic topic, Instant answered, String aggregateId, String type) {
        topic.readToEnd();
        List<ConsumerRecord<String, byte[]>> records = topic.recordsOf(Set.of(aggregateId)).stream()
                .filter(record -> type.equals(KeyEventsTopic.header(record, KeyEventHeaders.EVENT_TYPE)))
                .toList();
        assertThat(records)
                .as("%s of %s on the topic when the answer had arrived", type, aggregateId)
                .isNotEmpty();
        ConsumerRecord<String, byte[]> record = records.get(0);
        KeyEventEnvelope envelope = KeyledgerJson.read(record.value(), KeyEventEnvelope.class);
        assertThat(envelope.aggregateId()).isEqualTo(aggregateId);
        assertThat(record.timestamp())
                .as("the record's send time is not after the answer")
                .isLessThanOrEqualTo(answered.toEpochMilli());
    }

    private static String keyPath(String organizationId, String keyId) {
        return "/api/v1/organizations/" + organizationId + "/api-keys/" + keyId;
    }
}
