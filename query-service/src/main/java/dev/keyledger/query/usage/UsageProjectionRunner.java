package dev.keyledger.query.usage;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.KeyUsageEvent;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import dev.keyledger.query.ownership.ReadSideOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
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
 * The one thread that consumes {@code keyledger.key-usage}. Each poll is folded into a
 * {@link UsageBatch} and written in one database transaction together with the next offset of
 * every partition it read; nothing is committed to Kafka. The consumer seeks to the stored
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

    private final UsageStore store;
    private final UsageProperties properties;
    private final PartitionedTopicConsumer<DecodedPoll, Void> consumer;

    private final Map<UsageOutcome, Counter> ingested = new EnumMap<>(UsageOutcome.class);
    private final Counter malformed;
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
                            .description("Usage records counted exactly once, by outcome")
                            .register(registry));
        }
        this.malformed = Counter.builder("keyledger_usage_malformed")
                .description("Unreadable usage records skipped")
                .register(registry);
        this.commitDelay = Timer.builder("keyledger_usage_commit_delay")
                .description("From a usage record's occurred_at to the commit that made it visible")
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
                                properties.maxPollRecords(),
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                16 * 1024 * 1024,
                                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                                64 * 1024 * 1024,
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

    /** A poll aggregated in memory, with what the debug line reports about it. */
    private record DecodedPoll(UsageBatch batch, int records, long unreadable, long begin, long decoded) {}

    /** The usage part of each poll: decoding and aggregation, then counting once committed. */
    private final class Handler implements PartitionedTopicConsumer.Handler<DecodedPoll, Void> {

        @Override
        public DecodedPoll prepare(ConsumerRecords<String, byte[]> records) {
            long begin = System.nanoTime();
            Instant now = Instant.now();
            UsageBatch batch =
                    new UsageBatch(now.minus(properties.minuteRetention()), now.minus(properties.hourRetention()));
            long unreadable = 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                if (!batch.add(decode(record))) {
                    unreadable++;
                    LOG.warn(
                            "Skipping unreadable usage record {}-{}@{}",
                            record.topic(),
                            record.partition(),
                            record.offset());
                }
            }
            return new DecodedPoll(batch, records.count(), unreadable, begin, System.nanoTime());
        }

        @Override
        public Void write(DecodedPoll poll) {
            store.write(poll.batch());
            return null;
        }

        @Override
        public Instant committed(DecodedPoll poll, Void result) {
            long committed = System.currentTimeMillis();
            UsageBatch batch = poll.batch();
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "Poll of {} records ({} keys, {} minute, {} hour, {} day buckets): decode {} ms, write and commit {} ms",
                        poll.records(),
                        batch.keys().size(),
                        batch.minutes().size(),
                        batch.hours().size(),
                        batch.days().size(),
                        (poll.decoded() - poll.begin()) / 1_000_000,
                        (System.nanoTime() - poll.decoded()) / 1_000_000);
            }
            batch.outcomes().forEach((outcome, count) -> ingested.get(outcome).increment(count));
            malformed.increment(poll.unreadable());
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < batch.events(); i++) {
                long occurred = batch.occurredMillis(i);
                commitDelay.record(Math.max(0, committed - occurred), TimeUnit.MILLISECONDS);
                latest = Math.max(latest, occurred);
            }
            return batch.events() > 0 ? Instant.ofEpochMilli(latest) : null;
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
}
