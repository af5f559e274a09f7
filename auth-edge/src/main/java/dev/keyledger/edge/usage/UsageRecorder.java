package dev.keyledger.edge.usage;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.usage.KeyUsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Usage events from request threads to Kafka without ever blocking a request: {@link #record} is a
 * non-blocking offer to a bounded queue, and a full queue drops the event and counts it
 * ({@code keyledger_edge_usage_dropped_total}). One producer thread drains the queue into an
 * idempotent, batching producer; when Kafka is down that thread waits, the queue fills and the
 * overflow is counted while requests keep flowing.
 */
public final class UsageRecorder implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    private static final int DRAIN_BATCH = 512;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final UsageProperties properties;
    private final Map<String, Object> producerConfig;
    private final ArrayBlockingQueue<UsageSample> queue;
    private final Counter dropped;
    private final Counter sendFailures;
    private volatile boolean running;
    private Thread thread;

    public UsageRecorder(UsageProperties properties, Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.properties = properties;
        this.producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(
                ProducerConfig.LINGER_MS_CONFIG, (int) properties.linger().toMillis());
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerConfig.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.maxBlock().toMillis());
        this.queue = new ArrayBlockingQueue<>(properties.bufferCapacity());
        this.dropped = Counter.builder("keyledger_edge_usage_dropped")
                .description("Usage events dropped because the buffer was full")
                .register(registry);
        this.sendFailures = Counter.builder("keyledger_edge_usage_send_failures")
                .description("Usage events Kafka did not acknowledge")
                .register(registry);
        Gauge.builder("keyledger_edge_usage_buffered", queue, ArrayBlockingQueue::size)
                .description("Usage events waiting for the producer")
                .register(registry);
    }

    /** Never blocks: offers the sample, or drops and counts it. */
    public void record(UsageSample sample) {
        if (!properties.enabled()) {
            return;
        }
        if (!running || !queue.offer(sample)) {
            dropped.increment();
        }
    }

    @Override
    public void start() {
        running = true;
        if (!properties.enabled()) {
            return;
        }
        thread = new Thread(this::run, "usage-producer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig);
        try {
            List<UsageSample> batch = new ArrayList<>(DRAIN_BATCH);
            while (running) {
                UsageSample first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, DRAIN_BATCH - 1);
                for (UsageSample sample : batch) {
                    send(producer, sample);
                }
                batch.clear();
            }
            drainOnShutdown(producer);
        } catch (RuntimeException e) {
            LOG.error("Usage producer stopped", e);
        } finally {
            producer.close(SHUTDOWN_GRACE);
        }
    }

    /** Sends what is still buffered, for at most the shutdown grace; the rest is counted as dropped. */
    private void drainOnShutdown(KafkaProducer<String, byte[]> producer) {
        // stop() interrupts a send that waits for metadata; the drain must not inherit the flag.
        Thread.interrupted();
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (UsageSample sample = queue.poll(); sample != null; sample = queue.poll()) {
            if (System.nanoTime() - deadline > 0) {
                dropped.increment();
                continue;
            }
            send(producer, sample);
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, UsageSample sample) {
        KeyUsageEvent event = new KeyUsageEvent(
                Ids.EVENT_PREFIX + Ids.ulid(),
                Instant.ofEpochMilli(sample.occurredAtMillis()),
                sample.keyId(),
                sample.organizationId(),
                sample.databaseId(),
                sample.keyType(),
                sample.outcome(),
                sample.method(),
                RouteTemplates.template(sample.path()),
                sample.status(),
                sample.latencyMicros());
        try {
            producer.send(
                    new ProducerRecord<>(properties.topic(), event.keyId(), KeyledgerJson.write(event)),
                    (metadata, error) -> {
                        if (error != null) {
                            sendFailures.increment();
                        }
                    });
        } catch (RuntimeException e) {
            sendFailures.increment();
        }
    }
}
