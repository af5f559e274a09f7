package dev.keyledger.query.projection;

import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The one thread that consumes {@code keyledger.key-events}. Each poll is one database
 * transaction: projections, consumer positions ({@code projection_offsets}) and, before the
 * commit, the acknowledged active-key records. A crash anywhere replays the poll from the stored
 * positions; deduplication makes the replay harmless and the changelog is at least once.
 *
 * <p>The consumer is assigned every partition (no consumer group), because an active-key entry
 * joins rows of several aggregates that live on different partitions: one writer sees them all
 * in one order. Run one projecting instance per database; further instances set
 * {@code keyledger.projection.enabled=false} and serve reads only.
 */
@Component
public class ProjectionRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final String TOPIC = Topics.KEY_EVENTS;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
    private static final long ANALYZE_MIN_EVENTS = 5_000;

    private final KeyEventProjection projection;
    private final ProjectionStore store;
    private final ActiveKeyChangelog changelog;
    private final TransactionTemplate transactions;
    private final ProjectionProperties properties;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;

    private final Counter applied;
    private final Counter duplicates;
    private final Counter unknown;
    private final Counter malformed;
    private final Counter failures;
    private final Map<Integer, Long> consumerLag = new ConcurrentHashMap<>();
    private final AtomicBoolean rebuildRequested = new AtomicBoolean();

    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Instant lastEventTime;
    private volatile boolean caughtUp;
    private volatile RebuildProgress rebuild = RebuildProgress.IDLE;

    // Owned by the projection thread.
    private List<TopicPartition> partitions = List.of();
    private Instant partitionsCheckedAt = Instant.EPOCH;
    private boolean rebuilding;
    private Map<TopicPartition, Long> rebuildBegin = Map.of();
    private Map<TopicPartition, Long> rebuildEnd = Map.of();
    private long rebuildStartNanos;
    private long rebuildEvents;
    private Instant rebuildStartedAt;
    private long lastProgressLog;
    private long appliedSinceAnalyze;
    private long analyzedAtRows;

    ProjectionRunner(
            KeyEventProjection projection,
            ProjectionStore store,
            ActiveKeyChangelog changelog,
            TransactionTemplate transactions,
            ProjectionProperties properties,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.projection = projection;
        this.store = store;
        this.changelog = changelog;
        this.transactions = transactions;
        this.properties = properties;
        this.kafka = kafka;
        this.registry = registry;
        this.applied = events(registry, "applied");
        this.duplicates = events(registry, "duplicate");
        this.unknown = events(registry, "unknown");
        this.malformed = events(registry, "malformed");
        this.failures = Counter.builder("keyledger_projection_failures")
                .description("Polls rolled back and retried")
                .register(registry);
        Gauge.builder("keyledger_projection_lag_seconds", this, ProjectionRunner::lagSeconds)
                .description("Now minus the event time of the last applied event; 0 when caught up")
                .register(registry);
        Gauge.builder("keyledger_projection_rebuild_progress_ratio", this, r -> r.rebuild.progress())
                .description("Share of the end offsets read by the running rebuild")
                .register(registry);
        Gauge.builder("keyledger_projection_rebuild_events_per_second", this, r -> r.rebuild.eventsPerSecond())
                .description("Events per second of the running or last rebuild")
                .register(registry);
        Gauge.builder("keyledger_projection_rebuilding", this, r -> r.rebuild.rebuilding() ? 1 : 0)
                .description("1 while a rebuild runs")
                .register(registry);
        if (properties.rebuildOnStart()) {
            rebuildRequested.set(true);
        }
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("keyledger_projection_events")
                .tag("outcome", outcome)
                .description("Records of keyledger.key-events by outcome")
                .register(registry);
    }

    /** Asks the projection thread to drop and rebuild everything; returns at once. */
    public void requestRebuild() {
        rebuildRequested.set(true);
    }

    public RebuildProgress rebuildProgress() {
        return rebuild;
    }

    /** True once every assigned partition has been read to its end. */
    public boolean caughtUp() {
        return caughtUp && !rebuild.rebuilding() && !rebuildRequested.get();
    }

    private double lagSeconds() {
        Instant last = lastEventTime;
        if (caughtUp || last == null) {
            return 0;
        }
        return Math.max(0, Duration.between(last, Instant.now()).toMillis() / 1000.0);
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            LOG.info("Projection disabled: this instance serves reads only");
            return;
        }
        running = true;
        Thread worker = new Thread(this::run, "keyledger-projection");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    @Override
    public void stop() {
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

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafkaConsumer = newConsumer()) {
            consumer = kafkaConsumer;
            rebuilding = store.rebuilding();
            while (running) {
                try {
                    step(kafkaConsumer);
                } catch (WakeupException e) {
                    if (running) {
                        LOG.debug("Spurious wakeup");
                    }
                } catch (RuntimeException e) {
                    failures.increment();
                    LOG.error("Projection poll failed; retrying from the stored positions", e);
                    partitionsCheckedAt = Instant.EPOCH;
                    partitions = List.of();
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
                        // Large fetches keep polls full during a rebuild; when caught up a poll
                        // still returns as soon as anything arrives.
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        8 * 1024 * 1024,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "keyledger-query-projection"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private void step(KafkaConsumer<String, byte[]> kafkaConsumer) {
        if (!assign(kafkaConsumer)) {
            return;
        }
        if (rebuildRequested.get()) {
            transactions.executeWithoutResult(status -> store.beginRebuild());
            // Cleared only once the tables are dropped, so a failed start is retried.
            rebuildRequested.set(false);
            analyzedAtRows = 0;
            appliedSinceAnalyze = 0;
            kafkaConsumer.seekToBeginning(partitions);
            rebuilding = true;
            LOG.info("Rebuild started: projections dropped, reading {} from offset 0", TOPIC);
            beginRebuildTracking(kafkaConsumer);
        } else if (rebuilding && rebuildStartedAt == null) {
            LOG.info("Resuming an interrupted rebuild");
            beginRebuildTracking(kafkaConsumer);
        }

        ConsumerRecords<String, byte[]> records = kafkaConsumer.poll(POLL);
        if (!records.isEmpty()) {
            process(records);
        }
        updateLag(kafkaConsumer);
        if (rebuilding) {
            reportRebuild(kafkaConsumer);
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        Map<Integer, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            list.add(record);
            next.put(record.partition(), record.offset() + 1);
        }
        boolean publish = !rebuilding;
        KeyEventProjection.Outcome outcome = transactions.execute(status -> {
            KeyEventProjection.Outcome result = projection.apply(list);
            store.saveOffsets(TOPIC, next);
            if (publish) {
                // Acknowledged before the transaction commits: a crash after this line replays the
                // poll and publishes again, which the compacted topic absorbs.
                changelog.publishChanges(
                        result.touchedKeys(), result.touchedDatabases(), result.touchedOrganizations());
            }
            return result;
        });
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        unknown.increment(outcome.unknown());
        malformed.increment(outcome.malformed());
        if (outcome.lastEventTime() != null) {
            lastEventTime = outcome.lastEventTime();
        }
        if (rebuilding) {
            rebuildEvents += outcome.applied();
        }
        appliedSinceAnalyze += outcome.applied();
        if (appliedSinceAnalyze > Math.max(ANALYZE_MIN_EVENTS, analyzedAtRows)) {
            // Statistics are refreshed whenever the tables may have doubled since the last time.
            store.analyze();
            analyzedAtRows += appliedSinceAnalyze;
            appliedSinceAnalyze = 0;
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
            if (!consumerLag.containsKey(partition.partition())) {
                consumerLag.put(partition.partition(), 0L);
                Gauge.builder(
                                "keyledger_projection_consumer_lag",
                                consumerLag,
                                m -> m.getOrDefault(partition.partition(), 0L))
                        .tag("partition", Integer.toString(partition.partition()))
                        .description("Records of keyledger.key-events not yet projected, per partition")
                        .register(registry);
            }
        }
        LOG.info("Projecting {} partitions of {}", found.size(), TOPIC);
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

    private void beginRebuildTracking(KafkaConsumer<String, byte[]> kafkaConsumer) {
        rebuildBegin = kafkaConsumer.beginningOffsets(partitions);
        rebuildEnd = kafkaConsumer.endOffsets(partitions);
        rebuildStartNanos = System.nanoTime();
        rebuildEvents = 0;
        rebuildStartedAt = Instant.now();
        lastProgressLog = rebuildStartNanos;
        rebuild = new RebuildProgress(true, 0, 0, 0, rebuildStartedAt);
    }

    private void reportRebuild(KafkaConsumer<String, byte[]> kafkaConsumer) {
        long total = 0;
        long done = 0;
        boolean finished = true;
        for (TopicPartition partition : partitions) {
            long begin = rebuildBegin.getOrDefault(partition, 0L);
            long end = rebuildEnd.getOrDefault(partition, 0L);
            long position = kafkaConsumer.position(partition);
            total += end - begin;
            done += Math.min(end, position) - begin;
            finished &= position >= end;
        }
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - rebuildStartNanos) / 1e9);
        double ratio = total == 0 ? 1 : (double) done / total;
        double rate = rebuildEvents / seconds;
        rebuild = new RebuildProgress(true, ratio, rebuildEvents, rate, rebuildStartedAt);
        if (now - lastProgressLog >= properties.progressInterval().toNanos()) {
            lastProgressLog = now;
            LOG.info(
                    "Rebuild {}% ({} of {} records), {} events applied, {} events/s",
                    String.format("%.1f", ratio * 100), done, total, rebuildEvents, Math.round(rate));
        }
        if (finished) {
            int published = transactions.execute(status -> {
                int count = changelog.publishSnapshot();
                store.finishRebuild();
                return count;
            });
            rebuilding = false;
            double wall = Math.max(1e-3, (System.nanoTime() - rebuildStartNanos) / 1e9);
            rebuild = new RebuildProgress(false, 1, rebuildEvents, rebuildEvents / wall, rebuildStartedAt);
            rebuildStartedAt = null;
            LOG.info(
                    "Rebuild finished: {} events replayed in {} s, {} active-key records published, {} s in all"
                            + " ({} events/s)",
                    rebuildEvents,
                    String.format("%.1f", seconds),
                    published,
                    String.format("%.1f", wall),
                    Math.round(rebuildEvents / wall));
        }
    }
}
