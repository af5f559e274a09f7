package dev.keyledger.command.relay;

import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.testsupport.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A plain Kafka consumer over every partition of {@code keyledger.key-events}, from the first
 * offset, with no consumer group: what a downstream consumer sees. Records of one key keep their
 * partition order in {@link #recordsOf}. Not thread safe; one per test.
 */
public final class KeyEventsTopic implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    private KeyEventsTopic(KafkaConsumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    public static KeyEventsTopic fromBeginning() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        List<PartitionInfo> partitions = await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(Topics.KEY_EVENTS), found -> found != null && !found.isEmpty());
        List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return new KeyEventsTopic(consumer);
    }

    /** Polls until the records of the given keys satisfy {@code done}, and returns them. */
    public List<ConsumerRecord<String, byte[]>> awaitRecordsOf(
            Collection<String> keys, Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        Set<String> wanted = Set.copyOf(keys);
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                            return recordsOf(wanted);
                        },
                        done);
    }

    /** Every record read so far, in partition order, whose key is one of {@code keys}. */
    public List<ConsumerRecord<String, byte[]>> recordsOf(Collection<String> keys) {
        return records.stream().filter(r -> keys.contains(r.key())).toList();
    }

    /** Every record read so far. */
    public List<ConsumerRecord<String, byte[]>> all() {
        return List.copyOf(records);
    }

    /** Reads whatever is on the topic now, up to its current end offsets. */
    public List<ConsumerRecord<String, byte[]>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return all();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
