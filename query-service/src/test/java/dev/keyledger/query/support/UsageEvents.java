package dev.keyledger.query.support;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.KeyUsageEvent;
import dev.keyledger.contracts.usage.UsageOutcome;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@code keyledger.key-usage} records as the edge does: record key = key id, value =
 * {@code KeyledgerJson.write(KeyUsageEvent)}, idempotent producer. Sends are asynchronous;
 * {@link #flush()} waits for every acknowledgement and rethrows the first failure.
 */
public final class UsageEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public UsageEvents(String bootstrapServers) {
        this.producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public static KeyUsageEvent event(String organizationId, String keyId, Instant occurredAt, UsageOutcome outcome) {
        return new KeyUsageEvent(
                "use_" + Ids.ulid(),
                occurredAt,
                keyId,
                organizationId,
                null,
                "secret",
                outcome,
                "POST",
                "/api/v1/chat/message",
                switch (outcome) {
                    case ACCEPTED -> 200;
                    case RATE_LIMITED -> 429;
                    case FORBIDDEN -> 403;
                    case UNAVAILABLE -> 503;
                },
                1_500);
    }

    public void send(KeyUsageEvent event) {
        send(event.keyId(), KeyledgerJson.write(event));
    }

    public void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(Topics.KEY_USAGE, key, value), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
    }

    public void flush() {
        producer.flush();
        Exception first = failure.get();
        if (first != null) {
            throw new IllegalStateException("a usage record was not acknowledged", first);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
