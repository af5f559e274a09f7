package dev.keyledger.query.auditchain;

import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.audit.CanonicalJson;
import dev.keyledger.contracts.audit.SigningKey;
import dev.keyledger.query.ownership.ReadSideOwnership;
import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the signed head of every organization's audit chain to
 * {@code keyledger.audit-checkpoints} (key = organization id, value = the checkpoint's canonical
 * JSON: {@code first_seq} 1, {@code last_seq} and {@code count} the head's seq, {@code head} its
 * hash), at most once per {@code interval} per organization and only after its chain moved. A
 * later rewrite of history then contradicts a checkpoint already out of this service's reach
 * ({@code audit verify --checkpoints}). Runs on the instance holding the projection lease only;
 * a head is marked published after the broker acknowledged it, so a crash publishes it again
 * (at least once; the same head twice is harmless). Needs a signing key; without one it idles.
 */
@Component
class AuditCheckpointPublisher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointPublisher.class);
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final AuditSigningKeys keys;
    private final AuditProperties.Checkpoints properties;
    private final ReadSideOwnership ownership;
    private final KafkaProperties kafka;
    private final Counter published;
    private final Counter failures;
    private final Clock clock = Clock.systemUTC();
    private final PeriodicTask task = new PeriodicTask("keyledger-audit-checkpoints");
    private Producer<String, byte[]> producer;

    AuditCheckpointPublisher(
            JdbcTemplate jdbc,
            AuditSigningKeys keys,
            AuditProperties properties,
            ReadSideOwnership ownership,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties.checkpoints();
        this.ownership = ownership;
        this.kafka = kafka;
        this.published = Counter.builder("keyledger_audit_checkpoints_published")
                .description("Signed audit chain heads the broker acknowledged")
                .register(registry);
        this.failures = Counter.builder("keyledger_audit_checkpoints_failures")
                .description("Checkpoint runs that failed (retried at the next run)")
                .register(registry);
    }

    private record Due(String organizationId, long seq, String hash) {}

    /** Publishes every head that is due; returns how many. Package-private for tests. */
    int publishDue() {
        SigningKey key = keys.current().orElse(null);
        if (key == null || !ownership.holds(ReadSideOwnership.PROJECTION)) {
            return 0;
        }
        int total = 0;
        List<Due> due;
        do {
            due = jdbc.query(
                    "SELECT organization_id, seq, hash FROM audit_chain_heads"
                            + " WHERE (published_seq IS NULL OR published_seq < seq)"
                            + " AND (published_at IS NULL OR published_at <= now() - ?::interval)"
                            + " ORDER BY organization_id LIMIT " + BATCH,
                    (rs, row) -> new Due(rs.getString(1), rs.getLong(2), rs.getString(3)),
                    properties.interval().toMillis() + " milliseconds");
            for (Due head : due) {
                publish(head, key);
                total++;
            }
        } while (due.size() == BATCH);
        return total;
    }

    private void publish(Due head, SigningKey key) {
        AuditCheckpoint checkpoint = AuditCheckpoint.sign(
                head.organizationId(), 1L, head.seq(), head.seq(), head.hash(), clock.instant(), key);
        byte[] value = CanonicalJson.of(checkpoint.toJson());
        try {
            producer()
                    .send(new ProducerRecord<>(properties.topic(), head.organizationId(), value))
                    .get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing a checkpoint", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the broker did not acknowledge the checkpoint of " + head.organizationId() + ": " + e.getMessage(),
                    e);
        }
        jdbc.update(
                "UPDATE audit_chain_heads SET published_seq = ?, published_at = now()"
                        + " WHERE organization_id = ? AND (published_seq IS NULL OR published_seq < ?)",
                head.seq(),
                head.organizationId(),
                head.seq());
        published.increment();
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = kafka.buildProducerProperties();
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-audit-checkpoints");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private void runOnce() {
        try {
            int count = publishDue();
            if (count > 0) {
                LOG.debug("Published {} audit checkpoints", count);
            }
        } catch (RuntimeException e) {
            failures.increment();
            LOG.warn("Audit checkpoint publication failed; retrying at the next run: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            return;
        }
        // Checked often enough that an organization's head goes out within a few seconds of its
        // interval; each organization is still published at most once per interval.
        Duration check = properties.interval().compareTo(Duration.ofSeconds(5)) < 0
                ? properties.interval()
                : Duration.ofSeconds(5);
        task.start(this::runOnce, check, check);
    }

    @Override
    public synchronized void stop() {
        task.stop();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return task.isRunning();
    }
}
