package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the {@link SecurityLog}'s queue on one daemon thread onto {@code keyledger.security-log}
 * (record key: the organization id, so one organization's refusals stay in order on one partition).
 * Sends are asynchronous; a record the broker does not acknowledge within the delivery timeout is
 * dropped and counted ({@code cause="publish_failed"}). When the broker is down, the thread waits in
 * {@code send} for at most {@code max-block}, the queue fills and further refusals are dropped at
 * the door: the requests themselves never wait. On stop the queue is drained once more and the
 * producer flushed within a bounded time. At most once per refusal; the consumer deduplicates the
 * producer's own retries by id.
 */
final class SecurityLogPublisher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityLogPublisher.class);
    private static final int BATCH = 500;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final SecurityLog log;
    private final Supplier<Producer<String, byte[]>> producers;
    private final boolean enabled;
    private volatile boolean running;
    private Thread thread;
    private Producer<String, byte[]> producer;

    /** With {@code enabled} false nothing is queued ({@link SecurityLog}) and this never starts. */
    SecurityLogPublisher(SecurityLog log, Supplier<Producer<String, byte[]>> producers, boolean enabled) {
        this.log = log;
        this.producers = producers;
        this.enabled = enabled;
    }

    /** Boot's {@code spring.kafka.*} connection and security settings, with this publisher's bounds. */
    static Map<String, Object> producerConfig(KafkaProperties kafka, SecurityLogSettings settings, String service) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-" + service + "-security-log");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                settings.deliveryTimeout().toMillis());
        // A bounded producer buffer: with the broker away, send() waits max-block for room, then fails.
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * 1024 * 1024);
        return config;
    }

    @Override
    public synchronized void start() {
        if (running || !enabled) {
            return;
        }
        producer = producers.get();
        running = true;
        thread = Thread.ofPlatform()
                .name("keyledger-security-log-publisher")
                .daemon(true)
                .start(this::run);
    }

    private void run() {
        List<SecurityRefusal> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                log.drain(batch, BATCH, POLL);
            } catch (InterruptedException e) {
                break;
            }
            send(batch);
        }
    }

    private void send(List<SecurityRefusal> batch) {
        for (SecurityRefusal refusal : batch) {
            try {
                producer.send(
                        new ProducerRecord<>(
                                Topics.SECURITY_LOG, refusal.organizationId(), KeyledgerJson.write(refusal)),
                        (metadata, exception) -> {
                            if (exception == null) {
                                log.published();
                            } else {
                                log.publishFailed();
                            }
                        });
            } catch (RuntimeException e) {
                // Broker metadata or buffer space did not come within max-block: this one is lost.
                log.publishFailed();
                LOG.debug("A refusal could not be handed to the producer: {}", e.toString());
            }
        }
        batch.clear();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(POLL.multipliedBy(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        List<SecurityRefusal> rest = new ArrayList<>();
        try {
            while (log.drain(rest, BATCH, Duration.ZERO) > 0 && rest.size() < 10 * BATCH) {
                // Take what is left, bounded: a flood at shutdown is not waited out.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(rest);
        producer.close(CLOSE_TIMEOUT);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
