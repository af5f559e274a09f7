package dev.keyledger.query.support;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.contracts.usage.UsageReportCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@code keyledger.key-usage} records as an edge does: binary {@link UsageReport}s from one
 * edge instance (a new one per object) with growing sequences, idempotent producer. {@link
 * #send(UsageCount)} sends one row as a report of its own, on the partition of its key; {@link
 * #sendReport} sends a report as given (for example again, as an edge does after a crash). Sends
 * are asynchronous; {@link #flush()} waits for every acknowledgement and rethrows the first
 * failure.
 */
public final class UsageEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final String instance = "edge_" + Ids.ulid();
    private long sequence;
    private final List<UsageReport> sent = new ArrayList<>();

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

    /** One request as a report row of its own (occurred at {@code occurredAt}, in milliseconds). */
    public static UsageCount event(String organizationId, String keyId, Instant occurredAt, UsageOutcome outcome) {
        long millis = occurredAt.toEpochMilli();
        return new UsageCount(
                keyId,
                organizationId,
                Math.floorDiv(millis, 60_000L) * 60,
                outcome == UsageOutcome.ACCEPTED ? 1 : 0,
                outcome == UsageOutcome.RATE_LIMITED ? 1 : 0,
                outcome == UsageOutcome.FORBIDDEN ? 1 : 0,
                outcome == UsageOutcome.UNAVAILABLE ? 1 : 0,
                outcome == UsageOutcome.ACCEPTED ? millis : 0,
                millis);
    }

    public String instance() {
        return instance;
    }

    /** Sends one row in a report of its own, record key = the key id (so all of a key's rows share a partition). */
    public void send(UsageCount row) {
        send(List.of(row));
    }

    /** Sends rows of one key in one report. */
    public synchronized void send(List<UsageCount> rows) {
        UsageReport report = new UsageReport(instance, ++sequence, sequence, sequence + 1, rows);
        sent.add(report);
        send(rows.get(0).keyId(), UsageReportCodec.encode(report));
    }

    /** The reports sent so far, in order. */
    public synchronized List<UsageReport> sent() {
        return List.copyOf(sent);
    }

    /** Sends {@code report} with record key {@code key} (its partition: the key's, as for the first send). */
    public void sendReport(String key, UsageReport report) {
        send(key, UsageReportCodec.encode(report));
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
