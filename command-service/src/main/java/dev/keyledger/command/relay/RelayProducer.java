package dev.keyledger.command.relay;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The relay's Kafka producer, replaced by a fresh one after a batch failed. A producer can be left
 * unusable for good (a fatal idempotence error, or a client bug that kills its I/O thread: an
 * oversized batch that the client keeps splitting ends in a {@code StackOverflowError}); without a
 * replacement every later batch would wait for acknowledgements that never come. Thread safe.
 */
final class RelayProducer implements AutoCloseable {

    private final Supplier<Producer<String, byte[]>> factory;
    private volatile Producer<String, byte[]> current;

    RelayProducer(Supplier<Producer<String, byte[]>> factory) {
        this.factory = factory;
        this.current = factory.get();
    }

    static RelayProducer of(Map<String, Object> config) {
        return new RelayProducer(() -> new KafkaProducer<>(config));
    }

    /** The producer a batch sends with; pass it to {@link #replace} if the batch fails. */
    Producer<String, byte[]> current() {
        return current;
    }

    void send(Producer<String, byte[]> producer, ProducerRecord<String, byte[]> record, Callback callback) {
        producer.send(record, callback);
    }

    /**
     * Closes {@code failed} without waiting (its unsent records are aborted; the batch is sent
     * again anyway) and installs a new producer, unless another thread already did.
     */
    synchronized void replace(Producer<String, byte[]> failed) {
        if (current != failed) {
            return;
        }
        // Closed first: the new producer takes the same client id, whose metrics must be free.
        failed.close(Duration.ZERO);
        current = factory.get();
    }

    @Override
    public synchronized void close() {
        current.close();
    }
}
