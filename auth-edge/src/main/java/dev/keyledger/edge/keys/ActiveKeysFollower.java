package dev.keyledger.edge.keys;

import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.DatabaseEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code keyledger.active-keys} into the {@link ActiveKeyTable}: every partition by
 * {@code assign} (no consumer group, every edge holds the whole table), from the beginning to the
 * end offsets seen at start, then marks the table caught up and keeps following it. Three kinds of
 * record: a key record (key = 64 hex characters of a key's SHA-256), a database record (key =
 * {@code database:<id>}, the database's organization) and a heartbeat (key = {@code heartbeat:<p>},
 * how far partition p of {@code keyledger.key-events} is reflected), which goes to the
 * {@link ChangelogState} and never into the table. The partition count of the key-events topic is
 * asked of the broker at start and every check interval, so a partition whose heartbeats never
 * came is noticed. Runs on its own platform thread; a bad record is skipped and counted, never fatal.
 */
public final class ActiveKeysFollower extends ConsumerThread {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveKeysFollower.class);

    /** A key record's key: the SHA-256 in hex. Anything else may be a database record. */
    private static final int HASH_HEX_LENGTH = 64;

    /** Bounds how long a partition-count request may hold up reading the changelog. */
    private static final Duration PARTITION_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration MISSING_TOPIC_BACKOFF = Duration.ofMillis(500);

    private final Map<String, Object> consumerConfig;
    private final KeysProperties properties;
    private final ActiveKeyTable table;
    private final ChangelogState state;
    private final Counter badRecords;
    private final Timer revocationLag;
    private final Counter heldBack;
    private final KeyEntryParser parser = new KeyEntryParser();

    public ActiveKeysFollower(
            Map<String, Object> kafkaConfig,
            KeysProperties properties,
            ActiveKeyTable table,
            ChangelogState state,
            MeterRegistry registry) {
        super("active-keys-follower");
        this.consumerConfig = assigningConsumerConfig(kafkaConfig, "earliest");
        this.properties = properties;
        this.table = table;
        this.state = state;
        this.badRecords = Counter.builder("keyledger_edge_changelog_bad_records")
                .description("Active-key records skipped because they could not be parsed")
                .register(registry);
        this.revocationLag = revocationLag(registry);
        this.heldBack = Counter.builder("keyledger_edge_changelog_entries_held_back")
                .description("Changelog entries not put because their key was revoked ahead of the changelog"
                        + " (an older state, read before the key's tombstone)")
                .register(registry);
    }

    /** The edge's revocation lag, shared with the {@link RevocationListener}. */
    static Timer revocationLag(MeterRegistry registry) {
        return Timer.builder("keyledger_edge_revocation_lag")
                .description("From a key's revocation or expiry (the tombstone's record time, or the revocation"
                        + " event's time when read from keyledger.key-events) to its removal from this edge's"
                        + " table, after the initial catch-up")
                .publishPercentileHistogram()
                // Exact boundaries at the revocation target (25 ms at p99) and the SLO alert's 100 ms.
                .serviceLevelObjectives(Duration.ofMillis(25), Duration.ofMillis(100))
                .register(registry);
    }

    @Override
    protected void run() {
        if (properties.createTopic()) {
            createTopicIfMissing();
        }
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig)) {
            consumer = kafka;
            List<TopicPartition> partitions = awaitPartitions(kafka);
            if (partitions.isEmpty()) {
                return;
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> targets = awaitEndOffsets(kafka, partitions);
            if (targets == null) {
                return;
            }
            checkKeyEventPartitions(kafka);
            long nextCheck =
                    System.nanoTime() + properties.partitionCheckInterval().toNanos();
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = kafka.poll(properties.pollTimeout());
                    for (ConsumerRecord<String, byte[]> record : records) {
                        apply(record);
                    }
                    if (!state.caughtUp() && reached(kafka, targets)) {
                        // The end offsets read at start may be minutes old on a slow start: what was
                        // published meanwhile (a revocation) must be applied before this edge
                        // answers, so catch up again to fresh end offsets until a round finds none.
                        Map<TopicPartition, Long> latest = kafka.endOffsets(partitions, Duration.ofSeconds(10));
                        if (!reached(kafka, latest)) {
                            targets = latest;
                            continue;
                        }
                        state.markCaughtUp();
                        ChangelogState.Freshness freshness = state.freshness(System.currentTimeMillis());
                        LOG.info(
                                "Active keys caught up: {} keys, {} databases; heartbeats of {} key-events partitions,"
                                        + " {} without one, oldest {} ms old",
                                table.size(),
                                table.databaseCount(),
                                freshness.partitions(),
                                freshness.withoutHeartbeat(),
                                freshness.oldestAgeMillis());
                    }
                    if (System.nanoTime() - nextCheck >= 0) {
                        nextCheck = System.nanoTime()
                                + properties.partitionCheckInterval().toNanos();
                        checkKeyEventPartitions(kafka);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // Same consumer, same positions: the table stays consistent; heartbeats age meanwhile.
                    LOG.warn("Active-keys follower: {}", e.toString());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Active-keys follower woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Active-keys follower stopped; the table goes stale", e);
        } finally {
            consumer = null;
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> kafka) {
        while (running) {
            try {
                List<PartitionInfo> infos = kafka.partitionsFor(properties.topic(), Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
                }
            } catch (KafkaException e) {
                LOG.warn("Waiting for topic {}: {}", properties.topic(), e.toString());
            }
            // The follower never creates the topic by asking for it, so a missing topic answers at
            // once: wait a little rather than spin on metadata requests until someone creates it.
            try {
                TimeUnit.MILLISECONDS.sleep(MISSING_TOPIC_BACKOFF.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    private Map<TopicPartition, Long> awaitEndOffsets(
            KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
        while (running) {
            try {
                return kafka.endOffsets(partitions, Duration.ofSeconds(10));
            } catch (KafkaException e) {
                LOG.warn("Waiting for the end offsets of {}: {}", properties.topic(), e.toString());
            }
        }
        return null;
    }

    private boolean reached(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            if (kafka.position(target.getKey()) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Learns the partition count of the key-events topic from the broker. A missing topic (a fresh
     * cluster) or an unanswered request leaves the count to the heartbeats; it only ever grows.
     */
    private void checkKeyEventPartitions(KafkaConsumer<String, byte[]> kafka) {
        try {
            List<PartitionInfo> infos = kafka.partitionsFor(properties.keyEventsTopic(), PARTITION_CHECK_TIMEOUT);
            if (infos != null && !infos.isEmpty()) {
                state.expectPartitions(infos.size());
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.debug("No partition count for {}: {}", properties.keyEventsTopic(), e.toString());
        }
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key != null && key.length() != HASH_HEX_LENGTH) {
            if (key.startsWith(Topics.HEARTBEAT_KEY_PREFIX)) {
                applyHeartbeat(key.substring(Topics.HEARTBEAT_KEY_PREFIX.length()), record.value());
                return;
            }
            if (key.startsWith(Topics.DATABASE_KEY_PREFIX)) {
                applyDatabase(key.substring(Topics.DATABASE_KEY_PREFIX.length()), record.value());
                return;
            }
        }
        long[] hash = new long[4];
        if (!KeyHashes.parseHex(record.key(), hash)) {
            badRecords.increment();
            return;
        }
        if (record.value() == null) {
            if (table.remove(hash) && state.caughtUp() && record.timestampType() == TimestampType.CREATE_TIME) {
                // Catch-up replays old tombstones; only live removals say how fast a revoke reaches us.
                revocationLag.record(
                        Math.max(0, System.currentTimeMillis() - record.timestamp()), TimeUnit.MILLISECONDS);
            }
            return;
        }
        ActiveKeyEntry value;
        try {
            value = KeyledgerJson.read(record.value(), ActiveKeyEntry.class);
        } catch (RuntimeException e) {
            badRecords.increment();
            return;
        }
        KeyEntry entry = parser.parse(hash, value);
        if (entry == null) {
            badRecords.increment();
            table.remove(hash);
            return;
        }
        if (!table.put(entry)) {
            heldBack.increment();
        }
    }

    /**
     * A heartbeat: how far a key-events partition is reflected. One whose partition differs from its
     * record key, or that does not parse, is skipped and counted; a tombstone (never produced) too,
     * so that the partition keeps aging from its last real heartbeat.
     */
    private void applyHeartbeat(String partition, byte[] value) {
        if (value == null) {
            badRecords.increment();
            return;
        }
        ChangelogHeartbeat heartbeat;
        try {
            heartbeat = KeyledgerJson.read(value, ChangelogHeartbeat.class);
        } catch (RuntimeException e) {
            badRecords.increment();
            return;
        }
        if (heartbeat == null
                || !partition.equals(Integer.toString(heartbeat.partition()))
                || !state.applyHeartbeat(heartbeat.partition(), heartbeat.partitions(), heartbeat.readAt())) {
            badRecords.increment();
        }
    }

    /** A database record: who owns the database. A malformed one is skipped and counted. */
    private void applyDatabase(String databaseId, byte[] value) {
        if (value == null) {
            // Never produced (databases are not deleted); forgetting the owner fails closed.
            table.removeDatabase(databaseId);
            return;
        }
        DatabaseEntry entry;
        try {
            entry = KeyledgerJson.read(value, DatabaseEntry.class);
        } catch (RuntimeException e) {
            badRecords.increment();
            return;
        }
        if (entry == null
                || !databaseId.equals(entry.databaseId())
                || entry.organizationId() == null
                || entry.organizationId().isEmpty()) {
            badRecords.increment();
            return;
        }
        table.putDatabase(databaseId, entry.organizationId());
    }

    /**
     * The admin client's settings taken from the consumer's (which come from Boot's
     * {@code spring.kafka.*}): every setting an admin client knows, so bootstrap servers,
     * {@code security.protocol}, {@code ssl.*} and {@code sasl.*} all carry over.
     */
    static Map<String, Object> adminConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> adminConfig = new java.util.HashMap<>();
        Set<String> known = AdminClientConfig.configNames();
        consumerConfig.forEach((name, value) -> {
            if (known.contains(name) && !name.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                adminConfig.put(name, value);
            }
        });
        return adminConfig;
    }

    private void createTopicIfMissing() {
        try (Admin admin = Admin.create(adminConfig(consumerConfig))) {
            // The topic's settings are declared once, in the contracts; only name and count are ours.
            NewTopic topic = new NewTopic(properties.topic(), properties.topicPartitions(), (short) -1)
                    .configs(KeyledgerTopics.ACTIVE_KEYS.configs());
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.info("Created topic {}", properties.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn(
                        "Could not create topic {}: {}",
                        properties.topic(),
                        e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException | KafkaException e) {
            LOG.warn("Could not create topic {}: {}", properties.topic(), e.toString());
        }
    }
}
