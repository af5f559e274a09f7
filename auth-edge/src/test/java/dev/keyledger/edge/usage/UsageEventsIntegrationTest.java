package dev.keyledger.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.contracts.usage.UsageReportCodec;
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

/** Usage of accepted and refused requests with a known key reaches {@code keyledger.key-usage} as a report row per key, minute and outcome. */
class UsageEventsIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void everyRequestWithAKnownKeyIsCountedInAReport() {
        String db = "db_01JUSAGE0000000000000000AB";
        String org = newOrganization();
        publishDatabase(db, org);
        TestKey key = activate(TestKeys.secret(org, 1, 100));
        awaitFreshMinute();
        get("/api/v1/databases/" + db + "/items/42", headers("X-API-Key", key.plaintext()));
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext()));
        get("/_keyledger/auth", headers("X-API-Key", key.plaintext(), "Origin", "https://x.example.com"));
        get("/_keyledger/auth", headers("X-API-Key", "sk_unknown"));

        List<UsageCount> rows = new CopyOnWriteArrayList<>();
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
                    assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                            .doesNotContain(key.plaintext());
                    UsageReport report = UsageReportCodec.decode(record.value());
                    assertThat(record.key()).isEqualTo(report.edgeInstance()).startsWith("edge_");
                    for (UsageCount row : report.rows()) {
                        if (row.keyId().equals(key.entry().keyId())) {
                            rows.add(row);
                        }
                    }
                }
                return rows.stream().mapToLong(UsageCount::total).sum() >= 3;
            });
        }

        // The three requests fell in one minute (awaitFreshMinute), counted per outcome; the sender
        // may have folded them into one report or into two (a batch can close between requests).
        assertThat(rows).isNotEmpty().hasSizeLessThanOrEqualTo(3);
        assertThat(rows).extracting(UsageCount::minute).containsOnly(rows.get(0).minute());
        assertThat(rows)
                .extracting(UsageCount::organizationId)
                .containsOnly(key.entry().organizationId());
        assertThat(rows.stream().mapToLong(UsageCount::accepted).sum()).isEqualTo(1);
        assertThat(rows.stream().mapToLong(UsageCount::rateLimited).sum()).isEqualTo(1);
        assertThat(rows.stream().mapToLong(UsageCount::forbidden).sum()).isEqualTo(1);
        assertThat(rows.stream().mapToLong(UsageCount::unavailable).sum()).isZero();
        UsageCount row =
                rows.stream().filter(r -> r.accepted() == 1).findFirst().orElseThrow();
        assertThat(row.lastAcceptedMillis()).isPositive().isLessThanOrEqualTo(row.lastMillis());
        assertThat(row.minute()).isEqualTo(row.lastMillis() / 60_000 * 60);
    }
}
