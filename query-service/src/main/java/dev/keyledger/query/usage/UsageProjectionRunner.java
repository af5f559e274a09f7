package dev.keyledger.query.usage;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageCount;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.contracts.usage.UsageReportCodec;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import dev.keyledger.query.ownership.ReadSideOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one thread that consumes {@code keyledger.key-usage}: binary {@link UsageReport}s, each the
 * requests of a stretch of one edge's spool per key, minute and outcome. Each poll is folded into a
 * {@link UsageBatch} and written in one database transaction together with the next offset of
 * every partition it read and the highest report sequence applied per edge instance and partition
 * ({@code usage_edge_sequences}); nothing is committed to Kafka. A report at or below that
 * sequence was sent again by an edge that could not know it had been acknowledged, and is
 * skipped, so an edge crash does not count twice (decision 0008). The consumer seeks to the stored
 * offsets on start and after a failed poll, so every record is counted exactly once: a poll whose
 * transaction did not commit is read again, one that committed never is.
 *
 * <p>Assigned every partition (no consumer group). Several instances may run against one database:
 * the one holding the {@code usage} lease meters, the others stand by (decision 0007);
 * {@code keyledger.usage.enabled=false} keeps an instance out of it.
 */
@Component
class UsageProjectionRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UsageProjectionRunner.class);
    private static final String TOPIC = Topics.KEY_USAGE;
    /** The most one fetch brings, over all partitions: about 160 reports of typical size. */
    static final int FETCH_BYTES = 64 * 1024 * 1024;
    /**
     * Reports per Kafka poll; a transaction joins consecutive full polls up to
     * {@code keyledger.usage.max-poll-records} (a broker hands out at most {@code fetch.max.bytes},
     * 55 MB by default, per fetch, so one poll alone stays under about 140 typical reports).
     */
    static final int RECORDS_PER_POLL = 64;
    /**
     * Report bytes after which a transaction joins no further poll: 192 reports of 30-byte ids take
     * about 77 MB. The poll that passes it is kept, so a transaction holds at most this plus one
     * poll (64 reports); with ids of the longest allowed length, about 110 reports and 130 MB.
     */
    static final long BYTES_PER_TRANSACTION = 96L * 1024 * 1024;

    private final UsageStore store;
    private final UsageProperties properties;
    private final PartitionedTopicConsumer<DecodedPoll, Written> consumer;

    private final Map<UsageOutcome, Counter> ingested = new EnumMap<>(UsageOutcome.class);
    private final Counter malformed;
    private final Counter duplicateReports;
    private final Counter reportsApplied;
    private final Timer commitDelay;

    UsageProjectionRunner(
            UsageStore store,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            UsageProperties properties,
            KafkaProperties kafka,
            MeterRegistry registry,
            ReadSideOwnership ownership) {
        this.store = store;
        this.properties = properties;
        for (UsageOutcome outcome : UsageOutcome.values()) {
            ingested.put(
                    outcome,
                    Counter.builder("keyledger_usage_events")
                            .tag("outcome", KeyledgerJson.mapper().convertValue(outcome, String.class))
                            .description("Requests counted exactly once, by outcome")
                            .register(registry));
        }
        this.malformed = Counter.builder("keyledger_usage_malformed")
                .description("Unreadable usage records skipped")
                .register(registry);
        this.duplicateReports = Counter.builder("keyledger_usage_duplicate_reports")
                .description("Usage reports an edge sent again and that were already counted (skipped)")
                .register(registry);
        this.reportsApplied = Counter.builder("keyledger_usage_reports")
                .description("Usage reports counted")
                .register(registry);
        this.commitDelay = Timer.builder("keyledger_usage_commit_delay")
                .description("From the latest request of a usage row (key, minute) to the commit that made it visible")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        this.consumer = new PartitionedTopicConsumer<>(
                new PartitionedTopicConsumer.Settings(
                        "Usage",
                        TOPIC,
                        "keyledger-usage",
                        "keyledger-query-usage",
                        Map.of(
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                Math.min(RECORDS_PER_POLL, properties.maxPollRecords()),
                                // A poll folds everything it fetched, so one fetch may fill it: a
                                // report of 4,000 rows with ids of about 30 bytes takes about 400 KB.
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                FETCH_BYTES,
                                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                FETCH_BYTES,
                                // The topic's partition count is the operator's (or the standalone's) choice;
                                // a metadata request must not create it with the broker default.
                                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                                false),
                        "usage_offsets",
                        properties.retryBackoff(),
                        // Usage polls are retried as a whole, never parked: a record that cannot be
                        // read is already skipped and counted by the batch.
                        Integer.MAX_VALUE,
                        "keyledger_usage",
                        "Usage polls rolled back and retried",
                        "Now minus the occurred_at of the last committed usage record; 0 when caught up",
                        "Records of keyledger.key-usage not yet counted, per partition",
                        "Metering usage from {} partitions of {}",
                        LOG),
                new Handler(),
                // Metered where the usage lease is held; fenced by it (decision 0007).
                ownership.ownership(ReadSideOwnership.USAGE),
                jdbc,
                transactions,
                kafka,
                registry);
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            LOG.info("Usage metering disabled on this instance");
            return;
        }
        consumer.start();
    }

    @Override
    public synchronized void stop() {
        consumer.stop();
    }

    @Override
    public boolean isRunning() {
        return consumer.isRunning();
    }

    /** True once every assigned partition has been read to its end and committed. */
    boolean caughtUp() {
        return consumer.caughtUp();
    }

    /**
     * A report of the poll that decoded: where it came from and its number. Its rows are folded
     * into the batch as it is decoded and not kept; a poll that must be folded again decodes the
     * record again.
     */
    private record Received(
            String edgeInstance, String sequenceKey, long sequence, ConsumerRecord<String, byte[]> record) {}

    /**
     * A poll decoded and aggregated in memory (assuming no report was applied before), with what
     * the debug line reports about it.
     */
    private static final class DecodedPoll {
        final List<Received> reports;
        final int records;
        final long unreadable;
        final long begin;
        final long decoded;
        // Dropped before a refold, so that two batches of a large transaction are never held at once.
        UsageBatch batch;

        DecodedPoll(List<Received> reports, UsageBatch batch, int records, long unreadable, long begin, long decoded) {
            this.reports = reports;
            this.batch = batch;
            this.records = records;
            this.unreadable = unreadable;
            this.begin = begin;
            this.decoded = decoded;
        }
    }

    /** What the transaction wrote: the batch actually applied and the reports skipped as already applied. */
    private record Written(UsageBatch batch, int duplicates) {}

    /** The usage part of each poll: decoding and aggregation, dedupe and counting. */
    private final class Handler implements PartitionedTopicConsumer.Handler<DecodedPoll, Written> {

        @Override
        public int recordsPerTransaction() {
            return properties.maxPollRecords();
        }

        @Override
        public long bytesPerTransaction() {
            return BYTES_PER_TRANSACTION;
        }

        @Override
        public DecodedPoll prepare(ConsumerRecords<String, byte[]> records) {
            long begin = System.nanoTime();
            List<Received> reports = new ArrayList<>(records.count());
            UsageBatch batch = newBatch();
            Map<String, Long> seen = new HashMap<>();
            long unreadable = 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                UsageReport report = decode(record);
                if (report == null) {
                    unreadable++;
                    LOG.warn(
                            "Skipping unreadable usage record {}-{}@{}",
                            record.topic(),
                            record.partition(),
                            record.offset());
                    continue;
                }
                Received received = new Received(
                        report.edgeInstance(),
                        UsageStore.sequenceKey(report.edgeInstance(), record.partition()),
                        report.sequence(),
                        record);
                reports.add(received);
                foldIn(batch, seen, received, report);
            }
            return new DecodedPoll(reports, batch, records.count(), unreadable, begin, System.nanoTime());
        }

        @Override
        public Written write(DecodedPoll poll) {
            Set<String> instances = new HashSet<>();
            for (Received received : poll.reports) {
                instances.add(received.edgeInstance());
            }
            Map<String, Long> applied = store.appliedSequences(instances);
            UsageBatch batch = poll.batch;
            Map<String, Long> sequences = new HashMap<>();
            int duplicates = countDuplicates(poll.reports, applied, sequences);
            if (duplicates > 0) {
                poll.batch = null;
                batch = refold(poll.reports, applied);
            }
            store.write(batch);
            store.saveSequences(sequences);
            return new Written(batch, duplicates);
        }

        @Override
        public Instant committed(DecodedPoll poll, Written written) {
            long committed = System.currentTimeMillis();
            UsageBatch batch = written.batch();
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "Poll of {} reports ({} rows, {} requests, {} keys, {} minute, {} hour, {} day buckets, {} already applied): decode {} ms, write and commit {} ms",
                        poll.records,
                        batch.rows(),
                        batch.events(),
                        batch.keys().size(),
                        batch.minuteBuckets(),
                        batch.hourBuckets(),
                        batch.dayBuckets(),
                        written.duplicates(),
                        (poll.decoded - poll.begin) / 1_000_000,
                        (System.nanoTime() - poll.decoded) / 1_000_000);
            }
            if (written.duplicates() > 0) {
                LOG.info("Skipped {} usage reports an edge sent again (already counted)", written.duplicates());
            }
            batch.outcomes().forEach((outcome, count) -> ingested.get(outcome).increment(count));
            malformed.increment(poll.unreadable);
            duplicateReports.increment(written.duplicates());
            reportsApplied.increment(poll.reports.size() - written.duplicates());
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < batch.rows(); i++) {
                long last = batch.lastMillis(i);
                commitDelay.record(Math.max(0, committed - last), TimeUnit.MILLISECONDS);
                latest = Math.max(latest, last);
            }
            return batch.rows() > 0 ? Instant.ofEpochMilli(latest) : null;
        }
    }

    private UsageBatch newBatch() {
        Instant now = Instant.now();
        return new UsageBatch(now.minus(properties.minuteRetention()), now.minus(properties.hourRetention()));
    }

    /**
     * Folds the poll's reports again, skipping every report whose sequence is at or below the
     * highest one already applied for its edge instance and partition ({@code applied}), or below
     * one earlier in the same poll. Each record decoded once already, so it decodes again.
     */
    private UsageBatch refold(List<Received> reports, Map<String, Long> applied) {
        UsageBatch batch = newBatch();
        Map<String, Long> seen = new HashMap<>(applied);
        for (Received received : reports) {
            foldIn(
                    batch,
                    seen,
                    received,
                    UsageReportCodec.decode(received.record().value()));
        }
        return batch;
    }

    /**
     * Adds the rows of {@code report} to the batch unless its sequence is at or below the one in
     * {@code seen} for its edge instance and partition; then notes its sequence there.
     */
    private static void foldIn(UsageBatch batch, Map<String, Long> seen, Received received, UsageReport report) {
        String key = received.sequenceKey();
        Long last = seen.get(key);
        if (last != null && received.sequence() <= last) {
            return;
        }
        seen.put(key, received.sequence());
        for (UsageCount row : report.rows()) {
            batch.add(row);
        }
    }

    /** Counts the reports {@link #foldIn} skips and puts into {@code sequences} the highest sequence per key. */
    private static int countDuplicates(List<Received> reports, Map<String, Long> applied, Map<String, Long> sequences) {
        int duplicates = 0;
        Map<String, Long> seen = new HashMap<>(applied);
        for (Received received : reports) {
            String key = received.sequenceKey();
            Long last = seen.get(key);
            if (last != null && received.sequence() <= last) {
                duplicates++;
                continue;
            }
            seen.put(key, received.sequence());
            sequences.put(key, received.sequence());
        }
        return duplicates;
    }

    private static UsageReport decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return UsageReportCodec.decode(record.value());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
