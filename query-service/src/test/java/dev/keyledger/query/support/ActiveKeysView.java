package dev.keyledger.query.support;

import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.DatabaseEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the edge sees: {@code keyledger.active-keys} read with a plain consumer from the beginning
 * to the end offsets, keeping the last value per key (the compacted view). A key whose last record
 * is a tombstone maps to an empty optional. {@link #read()} holds the key records,
 * {@link #databases()} the database records ({@code database:<id>}); heartbeats are left out.
 */
public final class ActiveKeysView {

    private ActiveKeysView() {}

    /** The key records, by key hash. */
    public static Map<String, Optional<ActiveKeyEntry>> read() {
        Map<String, Optional<ActiveKeyEntry>> view = new HashMap<>();
        readRaw().forEach((key, value) -> {
            if (!key.startsWith(Topics.DATABASE_KEY_PREFIX) && !key.startsWith(Topics.HEARTBEAT_KEY_PREFIX)) {
                view.put(key, value.map(json -> KeyledgerJson.read(json, ActiveKeyEntry.class)));
            }
        });
        return view;
    }

    /** The database records, by database id (without the prefix). */
    public static Map<String, DatabaseEntry> databases() {
        Map<String, DatabaseEntry> view = new HashMap<>();
        readRaw().forEach((key, value) -> {
            if (key.startsWith(Topics.DATABASE_KEY_PREFIX) && value.isPresent()) {
                view.put(
                        key.substring(Topics.DATABASE_KEY_PREFIX.length()),
                        KeyledgerJson.read(value.get(), DatabaseEntry.class));
            }
        });
        return view;
    }

    private static Map<String, Optional<byte[]>> readRaw() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<String, Optional<byte[]>> view = new HashMap<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    view.put(record.key(), Optional.ofNullable(record.value()));
                }
            }
            return view;
        }
    }
}
