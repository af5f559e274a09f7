package dev.keyledger.query.projection;

import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
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
    private static final long ANALYZE_MIN_EVENTS = 5_000;

    private final KeyEventProjection projection;
    private final ProjectionStore store;
    private final ActiveKeyChangelog changelog;
    private final TransactionTemplate transactions;
    private final ProjectionProperties properties;
    private final PartitionedTopicConsumer<List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> consumer;

    private final Counter applied;
    private final Counter duplicates;
    private final Counter unknown;
    private final Counter malformed;
    private final AtomicBoolean rebuildRequested = new AtomicBoolean();

    private volatile RebuildProgress rebuild = RebuildProgress.IDLE;

    // Owned by the projection thread.
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
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            ProjectionProperties properties,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.projection = projection;
        this.store = store;
        this.changelog = changelog;
        this.transactions = transactions;
        this.properties = properties;
        this.applied = events(registry, "applied");
        this.duplicates = events(registry, "duplicate");
        this.unknown = events(registry, "unknown");
        this.malformed = events(registry, "malformed");
        this.consumer = new PartitionedTopicConsumer<>(
                new PartitionedTopicConsumer.Settings(
                        "Projection",
                        TOPIC,
                        "keyledger-projection",
                        "keyledger-query-projection",
                        Map.of(
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                properties.maxPollRecords(),
                                // Large fetches keep polls full during a rebuild; when caught up a poll
                                // still returns as soon as anything arrives.
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                8 * 1024 * 1024),
                        "projection_offsets",
                        properties.retryBackoff(),
                        "keyledger_projection",
                        "Polls rolled back and retried",
                        "Now minus the event time of the last applied event; 0 when caught up",
                        "Records of keyledger.key-events not yet projected, per partition",
                        "Projecting {} partitions of {}",
                        LOG),
                new Handler(),
                jdbc,
                transactions,
                kafka,
                registry);
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
        return consumer.caughtUp() && !rebuild.rebuilding() && !rebuildRequested.get();
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            LOG.info("Projection disabled: this instance serves reads only");
            return;
        }
        consumer.start();
    }

    @Override
    public void stop() {
        consumer.stop();
    }

    @Override
    public boolean isRunning() {
        return consumer.isRunning();
    }

    /** The key-events projection's part of each poll: dedup, active-key publishing, rebuilds. */
    private final class Handler
            implements PartitionedTopicConsumer.Handler<
                    List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> {

        @Override
        public void starting() {
            rebuilding = store.rebuilding();
        }

        @Override
        public void beforePoll(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
            if (rebuildRequested.get()) {
                transactions.executeWithoutResult(status -> store.beginRebuild());
                // Cleared only once the tables are dropped, so a failed start is retried.
                rebuildRequested.set(false);
                analyzedAtRows = 0;
                appliedSinceAnalyze = 0;
                kafkaConsumer.seekToBeginning(partitions);
                rebuilding = true;
                LOG.info("Rebuild started: projections dropped, reading {} from offset 0", TOPIC);
                beginRebuildTracking(kafkaConsumer, partitions);
            } else if (rebuilding && rebuildStartedAt == null) {
                LOG.info("Resuming an interrupted rebuild");
                beginRebuildTracking(kafkaConsumer, partitions);
            }
        }

        @Override
        public List<ConsumerRecord<String, byte[]>> prepare(ConsumerRecords<String, byte[]> records) {
            List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
            records.forEach(list::add);
            return list;
        }

        @Override
        public KeyEventProjection.Outcome write(List<ConsumerRecord<String, byte[]>> records) {
            return projection.apply(records);
        }

        @Override
        public void beforeCommit(KeyEventProjection.Outcome result) {
            if (!rebuilding) {
                // Acknowledged before the transaction commits: a crash after this line replays the
                // poll and publishes again, which the compacted topic absorbs.
                changelog.publishChanges(
                        result.touchedKeys(), result.touchedDatabases(), result.touchedOrganizations());
            }
        }

        @Override
        public Instant committed(List<ConsumerRecord<String, byte[]>> records, KeyEventProjection.Outcome outcome) {
            applied.increment(outcome.applied());
            duplicates.increment(outcome.duplicates());
            unknown.increment(outcome.unknown());
            malformed.increment(outcome.malformed());
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
            return outcome.lastEventTime();
        }

        @Override
        public void afterPoll(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
            if (rebuilding) {
                reportRebuild(kafkaConsumer, partitions);
            }
        }
    }

    private void beginRebuildTracking(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
        rebuildBegin = kafkaConsumer.beginningOffsets(partitions);
        rebuildEnd = kafkaConsumer.endOffsets(partitions);
        rebuildStartNanos = System.nanoTime();
        rebuildEvents = 0;
        rebuildStartedAt = Instant.now();
        lastProgressLog = rebuildStartNanos;
        rebuild = new RebuildProgress(true, 0, 0, 0, rebuildStartedAt);
    }

    private void reportRebuild(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
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
