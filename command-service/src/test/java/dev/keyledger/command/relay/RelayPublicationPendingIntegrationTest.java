package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With the relay stopped, a revocation is stored and answered after {@code publish-wait} (1 s
 * here) with its usual 204 and {@code X-Keyledger-Relay: pending} (decision record 0017); once the
 * relay runs again its record reaches the topic. Its own context: the test stops the relay.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=" + CommandServiceApplication.CONFIG_NAME, "keyledger.relay.publish-wait=1s"})
class RelayPublicationPendingIntegrationTest {

    private static final String PLATFORM_ADMIN = TestJwts.token("platform-ops", null, TestJwts.PLATFORM_ADMIN);

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "command_relay_pending");
        registry.add("management.server.port", () -> "0");
        TestJwts.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aRevocationTheRelayCannotPublishIsAnsweredPendingAfterTheBoundAndPublishedLater() {
        ApiClient api = new ApiClient(port);
        String organizationId = api.post(
                        "/api/v1/organizations", PLATFORM_ADMIN, "{\"name\":\"Acme\",\"plan\":\"free\"}")
                .text("id");
        String admin = TestJwts.token("alice", organizationId, TestJwts.ORG_ADMIN);
        String keyId = api.post("/api/v1/organizations/" + organizationId + "/api-keys", admin, "{\"name\":\"CI\"}")
                .text("id");
        StreamingEventProcessor relay = processing
                .eventProcessor(KafkaRelay.PROCESSOR, StreamingEventProcessor.class)
                .orElseThrow();
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            topic.awaitRecordsOf(List.of(keyId), found -> !found.isEmpty());
            relay.shutdownAsync().join();

            long started = System.nanoTime();
            ApiClient.Response revoked =
                    api.delete("/api/v1/organizations/" + organizationId + "/api-keys/" + keyId, admin);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
            assertThat(revoked.header(RelayPublication.HEADER)).isEqualTo("pending");
            assertThat(took).as("answered after the bound, not before").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?"
                                    + " AND payloadtype LIKE '%ApiKeyRevokedEvent'")
                            .param(keyId)
                            .query(Long.class)
                            .single())
                    .as("the revocation is stored")
                    .isEqualTo(1);
            topic.readToEnd();
            assertThat(topic.recordsOf(List.of(keyId)))
                    .extracting(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_TYPE))
                    .as("not on the topic while the relay is stopped")
                    .containsExactly("api_key.issued");

            relay.start();
            List<ConsumerRecord<String, byte[]>> records =
                    topic.awaitRecordsOf(List.of(keyId), found -> found.size() >= 2);
            assertThat(records)
                    .extracting(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_TYPE))
                    .containsExactly("api_key.issued", "api_key.revoked");
        }

        ApiClient.Response again = api.delete("/api/v1/organizations/" + organizationId + "/api-keys/" + keyId, admin);
        assertThat(again.status()).isEqualTo(204);
        assertThat(again.header(RelayPublication.HEADER)).isEqualTo("published");
    }
}
