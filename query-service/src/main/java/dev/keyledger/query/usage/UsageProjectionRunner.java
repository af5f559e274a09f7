package dev.keyledger.query.usage;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.KeyUsageEvent;
import dev.keyledger.contracts.usage.UsageOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one thread that consumes {@code keyledger.key-usage}. Each poll is folded into a
 * {@link UsageBatch} and written in one database transaction together with the next offset of
 * every partition it read; nothing is committed to Kafka. The consumer seeks to the stored
 * offsets on start and after a failed poll, so every record is counted exactly once: a poll whose
 * transaction did not commit is read again, one that committed never is.
 *
 * <p>Assigned every partition (no consumer group): run one metering instance per database;
 * further instances set {@code keyledger.usage.enabled=false}.
 */
@Component
class UsageProjectionRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UsageProjectionRunner.class);
    private static final String TOPIC = Topics.KEY_USAGE;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

    private final UsageStore store;
    private final TransactionTemplate transactions;
    private final UsageProperties properties;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;

    private final Map<UsageOutcome, Counter> ingested = new EnumMap<>(UsageOutcome.class);
    private final Counter malformed;
    private final Counter failures;
    private final Timer commitDelay;
    private final Map<Integer, Long> consumerLag = new ConcurrentHashMap<>();

    private volatile boolean running;
    private volatile boolean crashRequested;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Instant lastEventTime;
    private volatile boolean caughtUp;

    // Owned by the consumer thread.
    private List<TopicPartition> partitions = List.of();
    private Instant partitionsCheckedAt = Instant.EPOCH;

    UsageProjectionRunner(
            UsageStore store,
            TransactionTemplate transactions,
            UsageProperties properties,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.store = store;
        this.transactions = transactions;
        this.properties = properties;
        this.kafka = kafka;
        this.registry = registry;
        for (UsageOutcome outcome : UsageOutcome.values()) {
            ingested.put(
                    outcome,
                    Counter.builder("keyledger_usage_events")
                            .tag("outcome", KeyledgerJson.mapper().convertValue(outcome, String.class))
                            .description("Usage records counted exactly once, by outcome")
                            .register(registry));
        }
        this.malformed = Counter.builder("keyledger_usage_malformed")
                .description("Unreadable usage records skipped")
                .register(registry);
        this.failures = Counter.builder("keyledger_usage_failures")
                .description("Usage polls rolled back and retried")
                .register(registry);
        this.commitDelay = Timer.builder("keyledger_usage_commit_delay")
                .description("From a usage record's occurred_at to the commit that made it visible")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        Gauge.builder("keyledger_usage_lag_seconds", this, UsageProjectionRunner::lagSeconds)
                .description("Now minus the occurred_at of the last committed usage record; 0 when caught up")
                .register(registry);
    }

    private double lagSeconds() {
        Instant last = lastEventTime;
        if (caughtUp || last == null) {
            return 0;
        }
        return Math.max(0, Duration.between(last, Instant.now()).toMillis() / 1000.0);
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            LOG.info("Usage metering disabled on this instance");
            return;
        }
        if (thread != null && thread.isAlive()) {
            return;
        }
        running = true;
        crashRequested = false;
        Thread worker = new Thread(this::run, "keyledger-usage");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread worker = thread;
        if (worker != null) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    /**
     * Simulates a crash, for tests: the next poll that carries records writes its rows and then
     * dies before the commit; the thread closes its consumer and ends without committing anything.
     * Returns at once; {@link #isRunning()} turns false when the thread has ended.
     */
    void stopAbruptly() {
        crashRequested = true;
    }

    @Override
    public boolean isRunning() {
        Thread worker = thread;
        return running && worker != null && worker.isAlive();
    }

    /** True once every assigned partition has been read to its end and committed. */
    boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        partitions = List.of();
        partitionsCheckedAt = Instant.EPOCH;
        try (KafkaConsumer<String, byte[]> kafkaConsumer = newConsumer()) {
            consumer = kafkaConsumer;
            while (running) {
                try {
                    step(kafkaConsumer);
                } catch (SimulatedCrash e) {
                    LOG.warn("Usage consumer stopped abruptly (test): the last poll was rolled back");
                    running = false;
                } catch (WakeupException e) {
                    if (running) {
                        LOG.debug("Spurious wakeup");
                    }
                } catch (RuntimeException e) {
                    failures.increment();
                    LOG.error("Usage poll failed; retrying from the stored positions", e);
                    partitions = List.of();
                    partitionsCheckedAt = Instant.EPOCH;
                    LockSupport.parkNanos(properties.retryBackoff().toNanos());
                }
            }
        } finally {
            consumer = null;
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        String.join(",", kafka.getBootstrapServers()),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        properties.maxPollRecords(),
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        16 * 1024 * 1024,
                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                        64 * 1024 * 1024,
                        // The topic's partition count is the operator's (or the standalone's) choice;
                        // a metadata request must not create it with the broker default.
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "keyledger-query-usage"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private void step(KafkaConsumer<String, byte[]> kafkaConsumer) {
        if (!assign(kafkaConsumer)) {
            return;
        }
        ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(POLL);
        if (!records.isEmpty()) {
            process(records);
        } else if (crashRequested) {
            // Nothing in flight: an idle consumer that dies loses nothing either.
            throw new SimulatedCrash();
        }
        updateLag(kafkaConsumer);
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        long begin = System.nanoTime();
        Instant now = Instant.now();
        UsageBatch batch =
                new UsageBatch(now.minus(properties.minuteRetention()), now.minus(properties.hourRetention()));
        Map<Integer, Long> next = new HashMap<>();
        long unreadable = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(record.partition(), record.offset() + 1);
            if (!batch.add(decode(record))) {
                unreadable++;
                LOG.warn(
                        "Skipping unreadable usage record {}-{}@{}",
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
        }
        long decoded = System.nanoTime();
        transactions.executeWithoutResult(status -> {
            store.write(batch);
            store.saveOffsets(TOPIC, next);
            if (crashRequested) {
                throw new SimulatedCrash();
            }
        });
        long committed = System.currentTimeMillis();
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Poll of {} records ({} keys, {} minute, {} hour, {} day buckets): decode {} ms, write and commit {} ms",
                    records.count(),
                    batch.keys().size(),
                    batch.minutes().size(),
                    batch.hours().size(),
                    batch.days().size(),
                    (decoded - begin) / 1_000_000,
                    (System.nanoTime() - decoded) / 1_000_000);
        }
        batch.outcomes().forEach((outcome, count) -> ingested.get(outcome).increment(count));
        malformed.increment(unreadable);
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < batch.events(); i++) {
            long occurred = batch.occurredMillis(i);
            commitDelay.record(Math.max(0, committed - occurred), TimeUnit.MILLISECONDS);
            latest = Math.max(latest, occurred);
        }
        if (batch.events() > 0) {
            lastEventTime = Instant.ofEpochMilli(latest);
        }
    }

    private static KeyUsageEvent decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return KeyledgerJson.read(record.value(), KeyUsageEvent.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Assigns every partition of the topic and seeks to the stored positions; false until it exists. */
    private boolean assign(KafkaConsumer<String, byte[]> kafkaConsumer) {
        Instant now = Instant.now();
        if (!partitions.isEmpty() && Duration.between(partitionsCheckedAt, now).compareTo(PARTITION_CHECK) < 0) {
            return true;
        }
        partitionsCheckedAt = now;
        List<PartitionInfo> infos = kafkaConsumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            LOG.info("Waiting for topic {}", TOPIC);
            LockSupport.parkNanos(properties.retryBackoff().toNanos());
            partitions = List.of();
            return false;
        }
        List<TopicPartition> found = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
        if (found.equals(partitions)) {
            return true;
        }
        partitions = found;
        kafkaConsumer.assign(found);
        Map<Integer, Long> stored = store.offsets(TOPIC);
        for (TopicPartition partition : found) {
            Long offset = stored.get(partition.partition());
            if (offset == null) {
                kafkaConsumer.seekToBeginning(List.of(partition));
            } else {
                kafkaConsumer.seek(partition, offset);
            }
            if (consumerLag.putIfAbsent(partition.partition(), 0L) == null) {
                Gauge.builder(
                                "keyledger_usage_consumer_lag",
                                consumerLag,
                                m -> m.getOrDefault(partition.partition(), 0L))
                        .tag("partition", Integer.toString(partition.partition()))
                        .description("Records of keyledger.key-usage not yet counted, per partition")
                        .register(registry);
            }
        }
        LOG.info("Metering usage from {} partitions of {}", found.size(), TOPIC);
        return true;
    }

    private void updateLag(KafkaConsumer<String, byte[]> kafkaConsumer) {
        boolean all = true;
        for (TopicPartition partition : partitions) {
            OptionalLong lag = kafkaConsumer.currentLag(partition);
            if (lag.isPresent()) {
                consumerLag.put(partition.partition(), lag.getAsLong());
                all &= lag.getAsLong() == 0;
            } else {
                all = false;
            }
        }
        caughtUp = all;
    }

    /** Thrown inside the transaction to abandon it as a crash would. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }
}
