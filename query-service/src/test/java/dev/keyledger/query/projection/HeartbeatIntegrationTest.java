package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.DatabaseFaults;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Freshness on data: the projection publishes a heartbeat per partition of keyledger.key-events on
 * keyledger.active-keys while it keeps up (idle included), none while it is wedged, and resumes by
 * itself.
 */
class HeartbeatIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    ProjectionProperties properties;

    @Autowired
    MeterRegistry registry;

    @Test
    void anIdleProjectionHeartbeatsEveryPartitionAtItsEndOffset() {
        awaitProjected();
        Map<Integer, Long> end = endOffsets(Topics.KEY_EVENTS);
        Instant from = Instant.now();

        try (Tail tail = new Tail()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                tail.read();
                for (int partition = 0; partition < 3; partition++) {
                    ChangelogHeartbeat heartbeat = tail.latest.get(partition);
                    assertThat(heartbeat)
                            .as("heartbeat of partition " + partition)
                            .isNotNull();
                    assertThat(heartbeat.offset()).isEqualTo(end.get(partition));
                    assertThat(heartbeat.partitions()).isEqualTo(3);
                    assertThat(heartbeat.readAt()).isAfterOrEqualTo(from.minusMillis(100));
                }
            });
            // And they keep coming while nothing happens.
            int count = tail.count;
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                tail.read();
                return tail.count >= count + 6;
            });
        }
    }

    @Test
    void aWedgedProjectionStopsHeartbeatingAndResumesByItself() {
        String org = events.createOrganization(Plan.FREE);
        awaitProjected();
        double failuresBefore =
                registry.get("keyledger_projection_failures").counter().count();
        KeyEvents.IssuedKey key;
        try (Tail tail = new Tail()) {
            try (DatabaseFaults.Fault outage =
                    DatabaseFaults.failWrites(jdbc, "projection_offsets", "true", DatabaseFaults.CONNECTION_FAILURE)) {
                key = events.issue(org, null, ApiKeyType.SECRET, "while wedged", null, null);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> registry.get("keyledger_projection_failures")
                                        .counter()
                                        .count()
                                > failuresBefore);
                tail.read();
                int before = tail.count;
                await().during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> {
                            tail.read();
                            return tail.count == before;
                        });
            }

            Map<Integer, Long> end = endOffsets(Topics.KEY_EVENTS);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                tail.read();
                for (int partition = 0; partition < 3; partition++) {
                    assertThat(tail.latest.get(partition)).isNotNull();
                    assertThat(tail.latest.get(partition).offset()).isEqualTo(end.get(partition));
                }
            });
        }
        assertThat(jdbc.queryForObject("SELECT status FROM api_keys WHERE id = ?", String.class, key.id()))
                .isEqualTo("active");
    }

    /** This instance's heartbeats on keyledger.active-keys from the moment it is opened. */
    private final class Tail implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        final Map<Integer, ChangelogHeartbeat> latest = new ConcurrentHashMap<>();
        int count;

        Tail() {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10))
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        void read() {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.key() != null && record.key().startsWith(Topics.HEARTBEAT_KEY_PREFIX)) {
                    ChangelogHeartbeat heartbeat = KeyledgerJson.read(record.value(), ChangelogHeartbeat.class);
                    if (properties.instanceId().equals(heartbeat.instance())) {
                        assertThat(record.key()).isEqualTo(Topics.HEARTBEAT_KEY_PREFIX + heartbeat.partition());
                        latest.put(heartbeat.partition(), heartbeat);
                        count++;
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
