package dev.keyledger.edge.keys;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the revocations of {@code keyledger.key-events} as the command side relays them and drops
 * the revoked key from the {@link ActiveKeyTable} at once, ahead of the read side's changelog
 * (decision 0019). A revocation is final, so nothing is lost by acting on it early; the changelog
 * still brings the tombstone, and until it does the table holds back any older entry for the key.
 *
 * <p>Only a speed-up: every partition by {@code assign} from its end at start (what was relayed
 * before reaches this edge through the changelog, as it always did), no consumer group, nothing
 * committed. Every other event is skipped on its {@code event_type} header without being parsed;
 * a revocation without a key hash (stored before the event carried one) or one that cannot be read
 * is counted and left to the changelog. A broker that refuses this edge the topic is logged and
 * retried; the changelog path does not depend on it.
 */
public final class RevocationListener extends ConsumerThread {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationListener.class);

    private static final byte[] REVOKED =
            KeyEventTypes.of(ApiKeyRevokedEvent.class).name().getBytes(StandardCharsets.UTF_8);

    /** A relayed envelope is a few hundred bytes; anything far larger is not one. */
    static final int MAX_RECORD_BYTES = 64 * 1024;

    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Map<String, Object> consumerConfig;
    private final KeysProperties properties;
    private final ActiveKeyTable table;
    private final ChangelogState state;
    private final Timer revocationLag;
    private final Counter applied;
    private final Counter notInTable;
    private final Counter withoutHash;
    private final Counter malformed;
    private final Counter failures;
    private volatile boolean listening;

    public RevocationListener(
            Map<String, Object> kafkaConfig,
            KeysProperties properties,
            ActiveKeyTable table,
            ChangelogState state,
            MeterRegistry registry) {
        super("revocation-listener");
        this.consumerConfig = assigningConsumerConfig(kafkaConfig, "latest");
        this.properties = properties;
        this.table = table;
        this.state = state;
        this.revocationLag = ActiveKeysFollower.revocationLag(registry);
        this.applied = outcome(registry, "removed");
        this.notInTable = outcome(registry, "not_in_table");
        this.withoutHash = outcome(registry, "without_hash");
        this.malformed = outcome(registry, "malformed");
        this.failures = Counter.builder("keyledger_edge_revocation_listener_failures")
                .description("Failed polls of keyledger.key-events by the revocation listener (retried with a pause)")
                .register(registry);
        if (properties.revocationsFromKeyEvents()) {
            // Only where the listener is enabled, so the alert on it does not fire where it is off.
            Gauge.builder("keyledger_edge_revocation_listener_up", this, listener -> listener.listening ? 1 : 0)
                    .description("1 while the revocation listener reads keyledger.key-events, 0 otherwise"
                            + " (then revocations arrive through the changelog only)")
                    .register(registry);
        }
        Gauge.builder("keyledger_edge_revoked_ahead_keys", table, ActiveKeyTable::revokedAheadCount)
                .description("Keys revoked from keyledger.key-events that the table holds back from older changelog"
                        + " entries (for keyledger.keys.revoked-ahead-retention, at most 100,000)")
                .register(registry);
        Gauge.builder("keyledger_edge_revoked_ahead_evicted", table, ActiveKeyTable::revokedAheadEvicted)
                .description("Revoked-ahead keys forgotten early because 100,000 were held")
                .register(registry);
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("keyledger_edge_key_event_revocations")
                .tag("outcome", outcome)
                .description("Revocations read from keyledger.key-events, by what they did to this edge's table")
                .register(registry);
    }

    @Override
    public void start() {
        if (!properties.revocationsFromKeyEvents()) {
            LOG.info(
                    "Revocations reach this edge through the changelog only (keyledger.keys.revocations-from-key-events)");
            return;
        }
        super.start();
    }

    @Override
    protected void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig)) {
            consumer = kafka;
            List<TopicPartition> partitions = List.of();
            long nextCheck = System.nanoTime();
            Duration backoff = MIN_BACKOFF;
            while (running) {
                try {
                    if (System.nanoTime() - nextCheck >= 0) {
                        nextCheck = System.nanoTime()
                                + properties.partitionCheckInterval().toNanos();
                        partitions = follow(kafka, partitions);
                    }
                    if (partitions.isEmpty()) {
                        // No topic (yet): asked again after a growing pause, not every poll.
                        listening = false;
                        nextCheck = System.nanoTime() + backoff.toNanos();
                        backoff = pause(backoff);
                        continue;
                    }
                    listening = true;
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(properties.pollTimeout())) {
                        apply(record);
                    }
                    backoff = MIN_BACKOFF;
                } catch (WakeupException | InterruptException e) {
                    if (!running) {
                        return;
                    }
                    Thread.interrupted(); // an interrupt while running is not a stop: go on
                    backoff = failed(e, backoff);
                } catch (RuntimeException e) {
                    // Refused by the broker (authorization), unreachable, or anything unforeseen: the
                    // changelog still brings every revocation, and this thread keeps trying.
                    backoff = failed(e, backoff);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Revocation listener stopped; revocations reach this edge through the changelog only", e);
        } finally {
            listening = false;
            consumer = null;
        }
    }

    private Duration failed(RuntimeException e, Duration backoff) {
        listening = false;
        failures.increment();
        if (backoff.equals(MIN_BACKOFF) || backoff.equals(MAX_BACKOFF)) {
            // Logged on the first failure and then at most once per longest pause.
            LOG.warn(
                    "Revocation listener: {} (retrying within {}; the changelog still brings every revocation)",
                    e.toString(),
                    MAX_BACKOFF);
        }
        return pause(backoff);
    }

    /**
     * Sleeps {@code backoff}, in slices so that a stop ends it within 200 ms, and returns the next
     * one: doubled, at most {@link #MAX_BACKOFF}.
     */
    private Duration pause(Duration backoff) {
        long until = System.nanoTime() + backoff.toNanos();
        try {
            for (long left = backoff.toMillis(); running && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                Thread.sleep(Math.min(left, 200));
            }
        } catch (InterruptedException e) {
            if (!running) {
                return backoff;
            }
        }
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    /**
     * Assigns every partition of the key-events topic. At start each is read from its end; a
     * partition added later is read from its beginning (it holds only what came after it was added).
     */
    private List<TopicPartition> follow(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> current) {
        List<PartitionInfo> infos = kafka.partitionsFor(properties.keyEventsTopic(), Duration.ofSeconds(2));
        if (infos == null || infos.isEmpty() || infos.size() == current.size()) {
            return current;
        }
        List<TopicPartition> partitions = infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        List<TopicPartition> added =
                partitions.stream().filter(p -> !current.contains(p)).toList();
        kafka.assign(partitions);
        if (current.isEmpty()) {
            kafka.seekToEnd(partitions);
        } else {
            kafka.seekToBeginning(added);
        }
        // Resolves the positions now, so that a revocation relayed from here on is read.
        partitions.forEach(kafka::position);
        LOG.info("Revocations read from {} partitions of {}", partitions.size(), properties.keyEventsTopic());
        return partitions;
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(KeyEventHeaders.EVENT_TYPE);
        if (type != null && !Arrays.equals(type.value(), REVOKED)) {
            return;
        }
        byte[] value = record.value();
        if (value == null || value.length > MAX_RECORD_BYTES) {
            malformed.increment();
            return;
        }
        KeyEventEnvelope envelope;
        KeyledgerEvent event;
        try {
            envelope = KeyledgerJson.readEnvelope(value);
            event = KeyledgerJson.payload(envelope);
        } catch (RuntimeException e) {
            malformed.increment();
            return;
        }
        if (!(event instanceof ApiKeyRevokedEvent revoked)) {
            return; // no header (not written by the relay) and not a revocation
        }
        long[] hash = new long[4];
        if (revoked.keyHash() == null) {
            withoutHash.increment();
            return;
        }
        if (revoked.keyId() == null || !KeyHashes.parseHex(revoked.keyHash(), hash)) {
            malformed.increment();
            return;
        }
        if (!table.revoke(hash, revoked.keyId())) {
            notInTable.increment();
            return;
        }
        applied.increment();
        if (state.caughtUp() && envelope.occurredAt() != null) {
            revocationLag.record(
                    Math.max(
                            0,
                            System.currentTimeMillis() - envelope.occurredAt().toEpochMilli()),
                    TimeUnit.MILLISECONDS);
        }
    }
}
