package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.KeyUsageEvent;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Usage events reach {@code keyledger.key-usage} for accepted and refused requests with a known key. */
class UsageEventsIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void everyRequestWithAKnownKeyProducesOneUsageEvent() {
        String db = "db_01JUSAGE0000000000000000AB";
        String org = newOrganization();
        publishDatabase(db, org);
        TestKey key = activate(TestKeys.secret(org, 1, 100));
        awaitFreshMinute();
        get("/api/v1/databases/" + db + "/items/42", headers("X-API-Key", key.plaintext()));
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://x.example.com"));
        get("/_keyledger/auth", headers("X-API-Key", "sk_unknown"));

        List<KeyUsageEvent> events = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> consumer.partitionsFor(Topics.KEY_USAGE).stream()
                                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                                    .toList(),
                            list -> !list.isEmpty());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.entry().keyId().equals(record.key())) {
                        events.add(KeyledgerJson.read(record.value(), KeyUsageEvent.class));
                    }
                }
                return events.size() >= 3;
            });
            String json = new String(KeyledgerJson.write(events.get(0)), StandardCharsets.UTF_8);
            assertThat(json).doesNotContain(key.plaintext());
        }

        assertThat(events).hasSize(3);
        assertThat(events)
                .extracting(KeyUsageEvent::outcome)
                .containsExactly(UsageOutcome.ACCEPTED, UsageOutcome.RATE_LIMITED, UsageOutcome.FORBIDDEN);
        KeyUsageEvent first = events.get(0);
        assertThat(first.eventId()).startsWith("evt_");
        assertThat(first.organizationId()).isEqualTo(key.entry().organizationId());
        assertThat(first.databaseId()).isEqualTo(db);
        assertThat(first.keyType()).isEqualTo("secret");
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.route()).isEqualTo("/api/{id}/databases/{db}/items/{id}");
        assertThat(first.occurredAt()).isNotNull();
        assertThat(events).extracting(KeyUsageEvent::status).containsExactly(200, 429, 403);
    }
}
