package dev.keyledger.query.auditchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Chain heads on the real in-process broker: one signed checkpoint per organization whose chain
 * moved, no second one within the interval, the next one once the interval has passed.
 */
class AuditCheckpointPublisherIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AuditCheckpointPublisher publisher;

    @Autowired
    AuditSigningKeys keys;

    @BeforeAll
    static void checkpointTopic() {
        createTopic(KeyledgerTopics.AUDIT_CHECKPOINTS, 3);
    }

    private List<JsonNode> checkpointsOf(String org) {
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "checkpoint-test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT_CHECKPOINTS));
            int emptyPolls = 0;
            while (emptyPolls < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    emptyPolls++;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (org.equals(record.key())) {
                        try {
                            found.add(JSON.readTree(record.value()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void publishesASignedHeadOncePerIntervalAfterAChange() {
        String org = events.createOrganization(Plan.STARTER);
        events.createDatabase(org, List.of("https://a.example.com"));
        awaitProjected();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryForList(
                                "SELECT seq FROM audit_chain_heads WHERE organization_id = ?", Long.class, org)
                        .equals(List.of(2L)));

        publisher.publishDue();
        List<JsonNode> first = checkpointsOf(org);

        assertThat(first).hasSize(1);
        JsonNode checkpoint = first.get(0);
        assertThat(AuditCheckpoint.verifySignature(
                        checkpoint, keys.jwks().find("query-test").orElseThrow()))
                .isTrue();
        assertThat(checkpoint.get("last_seq").asLong()).isEqualTo(2);
        assertThat(checkpoint.get("count").asLong()).isEqualTo(2);
        assertThat(checkpoint.get("head").asText())
                .isEqualTo(jdbc.queryForObject(
                        "SELECT hash FROM audit_log WHERE organization_id = ? AND seq = 2", String.class, org));

        events.changePlan(org, Plan.PRO, null);
        awaitProjected();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> jdbc.queryForList(
                                "SELECT seq FROM audit_chain_heads WHERE organization_id = ?", Long.class, org)
                        .equals(List.of(3L)));
        publisher.publishDue();
        assertThat(checkpointsOf(org)).as("not again within the interval").hasSize(1);

        jdbc.update(
                "UPDATE audit_chain_heads SET published_at = published_at - interval '2 minutes'"
                        + " WHERE organization_id = ?",
                org);
        publisher.publishDue();
        List<JsonNode> after = checkpointsOf(org);

        assertThat(after).hasSize(2);
        assertThat(after.get(1).get("last_seq").asLong()).isEqualTo(3);
        publisher.publishDue();
        assertThat(checkpointsOf(org)).as("nothing changed since").hasSize(2);
    }
}
