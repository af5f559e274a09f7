package dev.keyledger.query.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.testsupport.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The query-service's share of the revoke path: from the broker's acknowledgement of an
 * {@code api_key.revoked} record on {@code keyledger.key-events} to the moment a plain consumer of
 * {@code keyledger.active-keys} sees the tombstone. Runs only when {@code keyledger.benchmark.revokes}
 * is set ({@code query-service/bench/revoke-to-tombstone.sh}); revokes run one at a time.
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.revokes", matches = "\\d+")
class RevokeToTombstoneBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    @Test
    void revokeToTombstoneLatency() throws Exception {
        int count = Integer.getInteger("keyledger.benchmark.revokes");
        String org = events.createOrganization(Plan.PRO);
        List<KeyEvents.IssuedKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(events.issue(org, null, ApiKeyType.SECRET, "lag " + i, null, null));
        }
        awaitProjected();

        Map<String, Long> tombstones = new ConcurrentHashMap<>();
        CountDownLatch positioned = new CountDownLatch(1);
        Thread tail = Thread.ofPlatform().daemon().start(() -> tail(tombstones, positioned));
        assertThat(positioned.await(30, TimeUnit.SECONDS)).isTrue();

        double[] lags = new double[count];
        for (int i = 0; i < count; i++) {
            KeyEvents.IssuedKey key = keys.get(i);
            events.revoke(org, key.id());
            long acknowledged = System.nanoTime();
            long deadline = acknowledged + TimeUnit.SECONDS.toNanos(30);
            while (!tombstones.containsKey(key.hash())) {
                assertThat(System.nanoTime()).as("tombstone within 30 s").isLessThan(deadline);
                Thread.onSpinWait();
            }
            lags[i] = Math.max(0, tombstones.get(key.hash()) - acknowledged) / 1e6;
        }
        tail.interrupt();
        Arrays.sort(lags);
        String report = String.format(
                "revokes: %d, key-events ack -> active-keys tombstone (ms): p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n",
                count, percentile(lags, 50), percentile(lags, 90), percentile(lags, 99), lags[count - 1]);
        System.out.print(report);
        Files.writeString(Path.of("target", "benchmark-revoke-to-tombstone.txt"), report);
    }

    private static void tail(Map<String, Long> tombstones, CountDownLatch positioned) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    if (record.value() == null) {
                        tombstones.putIfAbsent(record.key(), System.nanoTime());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
