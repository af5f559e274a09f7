package dev.keyledger.query.projection;

import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import dev.keyledger.query.ownership.ReadSideOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * The one thread that consumes {@code keyledger.key-events} into the live projection tables. Each
 * poll is one database transaction: projections, consumer positions ({@code projection_offsets})
 * and, before the commit, the acknowledged active-key records. A crash anywhere replays the poll
 * from the stored positions; deduplication makes the replay harmless and the changelog is at least
 * once. A poll that keeps failing is applied record by record and the record at fault is parked
 * ({@link Parking}), so no event stalls its partition.
 *
 * <p>After every poll that committed, and about every {@code heartbeat-interval}, it publishes a
 * {@link ChangelogHeartbeat} for each partition it has read to within one poll of its end. A
 * failing, retrying or stopped projection publishes none, so the edge sees its data age.
 *
 * <p>The consumer is assigned every partition (no consumer group), because an active-key entry
 * joins rows of several aggregates that live on different partitions: one writer sees them all
 * in one order. Several instances may run against one database (decision 0007): the one holding
 * the {@code projection} lease ({@link ReadSideOwnership}) projects, publishes and heartbeats, the
 * others stand by and take over once its lease expires; every transaction is fenced by the lease,
 * and heartbeats are sent only while this instance still holds it by its own clock. An instance
 * with {@code keyledger.projection.enabled=false} never contests the role and serves reads only.
 */
@Component
public class ProjectionRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
    private static final long ANALYZE_MIN_EVENTS = 5_000;

    private final KeyEventProjection projection;
    private final ProjectionStore store;
    private final ActiveKeyChangelog changelog;
    private final Parking parking;
    private final Rebuild rebuild;
    private final ProjectionProperties properties;
    private final PartitionedTopicConsumer<List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> consumer;

    private final Counter applied;
    private final Counter duplicates;
    private final Counter unknown;
    private final Counter malformed;

    // Owned by the projection thread.
    private long appliedSinceAnalyze;
    private long analyzedAtRows;
    private long lastHeartbeatNanos;
    private long heartbeatEpoch;

    ProjectionRunner(
            KeyEventProjection projection,
            ProjectionStore store,
            ActiveKeyChangelog changelog,
            Parking parking,
            Rebuild rebuild,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            ProjectionProperties properties,
            ReadSideOwnership ownership,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.projection = projection;
        this.store = store;
        this.changelog = changelog;
        this.parking = parking;
        this.rebuild = rebuild;
        this.properties = properties;
        this.applied = events(registry, "applied");
        this.duplicates = events(registry, "duplicate");
        this.unknown = events(registry, "unknown");
        this.malformed = events(registry, "malformed");
        this.consumer = new PartitionedTopicConsumer<>(
                new PartitionedTopicConsumer.Settings(
                        "Projection",
                        properties.topic(),
                        "keyledger-projection",
                        "keyledger-query-projection",
                        consumerConfig(properties),
                        "projection_offsets",
                        properties.retryBackoff(),
                        properties.maxAttempts(),
                        "keyledger_projection",
                        "Polls rolled back and retried, and records parked",
                        "Now minus the event time of the last applied event; 0 when caught up",
                        "Records of keyledger.key-events not yet projected, per partition",
                        "Projecting {} partitions of {}",
                        LOG),
                new Handler(),
                ownership.ownership(ReadSideOwnership.PROJECTION),
                jdbc,
                transactions,
                kafka,
                registry);
    }

    static Map<String, Object> consumerConfig(ProjectionProperties properties) {
        return Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                properties.maxPollRecords(),
                // Large fetches keep polls full during a rebuild; when caught up a poll
                // still returns as soon as anything arrives.
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                8 * 1024 * 1024,
                // The topic is declared with its settings by its owner; a metadata request must not
                // create it with the broker's defaults.
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false);
    }

    private static Counter events(MeterRegistry registry, String outcome) {
        return Counter.builder("keyledger_projection_events")
                .tag("outcome", outcome)
                .description("Records of keyledger.key-events by outcome")
                .register(registry);
    }

    /** True once every assigned partition has been read to its end. */
    public boolean caughtUp() {
        return consumer.caughtUp();
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            LOG.info("Projection disabled: this instance serves reads only");
            return;
        }
        if (properties.rebuildOnStart() && rebuild.request()) {
            LOG.info("Rebuild requested at start (keyledger.projection.rebuild-on-start)");
        }
        consumer.start();
    }

    @Override
    public void stop() {
        consumer.stop();
        rebuild.stop();
    }

    @Override
    public boolean isRunning() {
        return consumer.isRunning();
    }

    /** The live part of each poll: dedup, active-key publishing, parking, heartbeats, rebuild steps. */
    private final class Handler
            implements PartitionedTopicConsumer.Handler<
                    List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> {

        @Override
        public List<ConsumerRecord<String, byte[]>> prepare(ConsumerRecords<String, byte[]> records) {
            List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
            records.forEach(list::add);
            return list;
        }

        @Override
        public KeyEventProjection.Outcome write(List<ConsumerRecord<String, byte[]>> records) {
            // A revocation's tombstone leaves now; the publish before the commit sends it again
            // with every other change of the poll and waits for the broker's acknowledgement.
            return projection.apply(records, changelog::sendTombstone);
        }

        @Override
        public void beforeCommit(KeyEventProjection.Outcome result) {
            // Acknowledged before the transaction commits: a crash after this line replays the
            // poll and publishes again, which the compacted topic absorbs.
            changelog.publishChanges(result.touchedKeys(), result.touchedDatabases(), result.touchedOrganizations());
        }

        @Override
        public Instant committed(List<ConsumerRecord<String, byte[]>> records, KeyEventProjection.Outcome outcome) {
            applied.increment(outcome.applied());
            duplicates.increment(outcome.duplicates());
            unknown.increment(outcome.unknown());
            malformed.increment(outcome.malformed());
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
        public boolean isRecordFault(RuntimeException failure) {
            return !Failures.isInfrastructure(failure);
        }

        @Override
        public void park(ConsumerRecord<String, byte[]> record, RuntimeException failure) {
            parking.park(record, failure, true);
        }

        @Override
        public void parked(ConsumerRecord<String, byte[]> record) {
            parking.parked(record);
        }

        @Override
        public void afterPoll(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
            heartbeat(kafkaConsumer, partitions);
            rebuild.owned(consumer.assignedEpoch());
            rebuild.afterLivePoll(kafkaConsumer, partitions);
        }
    }

    /**
     * Publishes a heartbeat for every partition read to within one poll of its end, at most once
     * per interval. The offset is the committed position (this runs after the poll's commit), the
     * time is now: every record before it is in the changelog as of now.
     */
    private void heartbeat(Consumer<String, byte[]> kafkaConsumer, List<TopicPartition> partitions) {
        long now = System.nanoTime();
        // Only the owner heartbeats, and only while its lease is still valid by its own clock: a
        // dead or cut-off owner's partitions age at the edge until the next owner reads them.
        if (!consumer.owned()
                || consumer.failing()
                || now - lastHeartbeatNanos < properties.heartbeatInterval().toNanos()) {
            return;
        }
        Instant readAt = Instant.now();
        List<ChangelogHeartbeat> heartbeats = new ArrayList<>(partitions.size());
        for (TopicPartition partition : partitions) {
            OptionalLong lag = kafkaConsumer.currentLag(partition);
            if (lag.isPresent() && lag.getAsLong() <= properties.maxPollRecords()) {
                heartbeats.add(new ChangelogHeartbeat(
                        partition.partition(),
                        partitions.size(),
                        kafkaConsumer.position(partition),
                        readAt,
                        properties.instanceId()));
            }
        }
        if (!heartbeats.isEmpty()) {
            // Only a heartbeat sent starts the interval: right after an assignment (a take-over)
            // the lag is unknown until the first fetch answers, and the next poll tries again.
            lastHeartbeatNanos = now;
            changelog.publishHeartbeats(heartbeats);
            if (heartbeatEpoch != consumer.assignedEpoch()) {
                heartbeatEpoch = consumer.assignedEpoch();
                LOG.info(
                        "Heartbeats of {} partitions published as {} (epoch {})",
                        heartbeats.size(),
                        properties.instanceId(),
                        heartbeatEpoch);
            }
        }
    }
}
