package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Import;

/**
 * The API opens only once the relay runs. A listener notes the relay's state at the moment the API
 * web server has started (Boot publishes {@link ServletWebServerInitializedEvent} right after the
 * server accepts connections): by then the producer has connected and fetched the topic's
 * partitions, and the {@code kafka-relay} processor has claimed its segment and caught up. So a
 * command answered by the API, the first one included, is relayed by a processor that is already
 * running: the chaos suite saw the first revocation after a command-service restart reach the
 * edges seconds late (docs/reliability.md). Its own Spring context (the listener), otherwise the
 * management API tests' set-up.
 */
@Import(RelayStartupIntegrationTest.WhenTheApiOpened.class)
class RelayStartupIntegrationTest extends ManagementApiIntegrationTestBase {

    @Autowired
    WhenTheApiOpened whenTheApiOpened;

    @Autowired
    RelayStartup startup;

    @LocalManagementPort
    int managementPort;

    @Test
    void theApiOpensOnlyAfterTheRelayIsConnectedAndCaughtUp() {
        RelayState atOpening = whenTheApiOpened.state.get();

        assertThat(atOpening).as("the API web server started").isNotNull();
        assertThat(atOpening.startupReady()).isTrue();
        assertThat(atOpening.partitions()).isEqualTo(6);
        assertThat(atOpening.segments())
                .as("processor status when the API opened")
                .isNotEmpty()
                .allSatisfy((segment, status) -> {
                    assertThat(status.isCaughtUp()).isTrue();
                    assertThat(status.isErrorState()).isFalse();
                });
        assertThat(startup.waitingFor()).isNull();
    }

    @Test
    void isReadyWithTheRelayUp() {
        ApiClient.Response readiness = new ApiClient(managementPort)
                .request("GET", "/actuator/health/readiness")
                .send();

        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.text("status")).isEqualTo("UP");
    }

    @Test
    void aRevocationAnsweredByTheFreshServiceIsOnTheTopicAfterTheIssue() {
        String organizationId = newOrganization();
        String keyId = newSecretKey(organizationId).text("id");

        ApiClient.Response revoked =
                api.delete("/api/v1/organizations/" + organizationId + "/api-keys/" + keyId, orgAdmin(organizationId));

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        List<ConsumerRecord<String, byte[]>> records;
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            records = topic.awaitRecordsOf(List.of(keyId), found -> found.size() >= 2);
        }
        assertThat(records)
                .extracting(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_TYPE))
                .containsExactly("api_key.issued", "api_key.revoked");
    }

    /** The relay's state when the API web server (not the management one) had started. */
    record RelayState(boolean startupReady, int partitions, Map<Integer, EventTrackerStatus> segments) {}

    @TestConfiguration(proxyBeanMethods = false)
    static class WhenTheApiOpened implements ApplicationListener<ServletWebServerInitializedEvent> {

        final AtomicReference<RelayState> state = new AtomicReference<>();
        private final RelayStartup startup;
        private final ObjectProvider<EventProcessingConfiguration> processing;

        WhenTheApiOpened(RelayStartup startup, ObjectProvider<EventProcessingConfiguration> processing) {
            this.startup = startup;
            this.processing = processing;
        }

        @Override
        public void onApplicationEvent(ServletWebServerInitializedEvent event) {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return; // the management server, started later in a child context
            }
            Map<Integer, EventTrackerStatus> segments = processing
                    .getObject()
                    .eventProcessor(KafkaRelay.PROCESSOR, StreamingEventProcessor.class)
                    .map(processor -> Map.copyOf(processor.processingStatus()))
                    .orElse(Map.of());
            state.compareAndSet(null, new RelayState(startup.ready(), startup.partitions(), segments));
        }
    }
}
