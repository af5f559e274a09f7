package dev.keyledger.query.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
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
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One thread consuming every partition of one topic, exactly once into PostgreSQL. Each poll is
 * prepared by the {@link Handler}, then written by it in one transaction together with the next
 * offset of every partition the poll read; nothing is committed to Kafka. The consumer seeks to the
 * stored positions when it is assigned, and after a failed poll it is assigned again, so a poll
 * whose transaction did not commit is read again and one that committed never is. After
 * {@code maxAttempts} failures that the handler calls the records' fault, the poll is applied record
 * by record and a record that fails alone is parked by the handler: no record stalls its partition.
 *
 * <p>With an {@link Ownership} other than {@link Ownership#ALWAYS}, the thread polls only while
 * the ownership gives it an epoch; it loads the stored positions again whenever the epoch changes
 * and fences every transaction with the epoch they were loaded under, so two processes may run
 * the same consumer against one database and only the owner's writes ever commit (decision 0007).
 * A fenced poll is not a failure of the records: it is rolled back, counted in
 * {@code <prefix>_fenced}, and the thread stands by until it owns the topic again.
 *
 * <p>Registers {@code <prefix>_failures}, {@code <prefix>_fenced}, {@code <prefix>_lag_seconds} and,
 * per partition, {@code <prefix>_consumer_lag}.
 *
 * @param <B> what a poll is prepared into, outside the transaction
 * @param <R> what writing a poll returns, inside the transaction
 */
public final class PartitionedTopicConsumer<B, R> {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long a poll joined to a full one waits for the next fetch before the records so far are written. */
    private static final Duration GATHER_POLL = Duration.ofMillis(100);

    private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);

    /** What a poll means; every method runs on the consumer thread. */
    public interface Handler<B, R> {

        /** Called once a new consumer exists, before its first poll; a throw ends the thread. */
        default void starting() {}

        /** Called before every poll, once every partition is assigned and positioned. */
        default void beforePoll(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {}

        /**
         * Records one transaction may gather from consecutive polls; 0 (the default) writes each
         * poll on its own. A poll that came back full ({@code max.poll.records}), or while the
         * partitions hold at least that many more records, is followed at once by more polls, and
         * their records are joined, until the total reaches this (it may pass it by less than one
         * poll) or a poll waited {@code GATHER_POLL} in vain: a backlog is then written in fewer,
         * larger transactions, while a consumer that keeps up (short polls, no lag) does not wait
         * for more (a lag figure from a stale fetch can cost it one such wait).
         */
        default int recordsPerTransaction() {
            return 0;
        }

        /**
         * Record values (bytes) one transaction may gather from consecutive polls; once the joined
         * polls hold this much, no further poll is joined.
         */
        default long bytesPerTransaction() {
            return Long.MAX_VALUE;
        }

        /** Turns a non-empty poll into a batch, outside the transaction. */
        B prepare(ConsumerRecords<String, byte[]> records);

        /** Writes the batch inside the poll's transaction, before the positions. */
        R write(B batch);

        /** Called inside the transaction after the positions are written; a throw rolls the poll back. */
        default void beforeCommit(R result) {}

        /** Called after the commit; returns the event time of the batch's latest event, or null. */
        Instant committed(B batch, R result);

        /** Called after every poll that did not fail, and the lag update that follows it. */
        default void afterPoll(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {}

        /**
         * Whether a failed write may be the records' own fault (a value the tables refuse) rather
         * than the infrastructure's (a lost connection, a timeout, a broker that does not answer).
         * Only such failures end in {@link #park}; the default retries every failure forever.
         */
        default boolean isRecordFault(RuntimeException failure) {
            return false;
        }

        /**
         * Sets aside one record that failed alone: called inside a transaction that also stores
         * the position after it, so the partition moves on once it commits. A throw rolls back and
         * retries the poll.
         */
        default void park(ConsumerRecord<String, byte[]> record, RuntimeException failure) {
            throw failure;
        }

        /** Called after the transaction of {@link #park} committed. */
        default void parked(ConsumerRecord<String, byte[]> record) {}
    }

    /**
     * @param name how log lines name the consumer ({@code "Projection"} gives "Projection poll failed")
     * @param consumerConfig settings besides bootstrap servers, auto commit, offset reset and client id
     * @param positionsTable the table of stored positions
     * @param maxAttempts failed attempts at a poll before it is applied record by record, and a
     *     record that still fails alone for a reason of its own is parked ({@link Handler#park})
     * @param assignedMessage logged with the partition count and the topic once they are assigned
     * @param log the logger of the owning component
     */
    public record Settings(
            String name,
            String topic,
            String threadName,
            String clientId,
            Map<String, Object> consumerConfig,
            String positionsTable,
            Duration retryBackoff,
            int maxAttempts,
            String metricPrefix,
            String failuresDescription,
            String lagSecondsDescription,
            String consumerLagDescription,
            String assignedMessage,
            Logger log) {}

    private final Settings settings;
    private final Handler<B, R> handler;
    private final Ownership ownership;
    private final StoredPositions positions;
    private final TransactionTemplate transactions;
    private final KafkaProperties kafka;
    private final MeterRegistry registry;
    private final Logger log;
    private final Counter failures;
    private final Counter fenced;
    private final Timer writeTime;
    private final Timer beforeCommitTime;
    private final Timer commitTime;
    private final Map<Integer, Long> consumerLag = new ConcurrentHashMap<>();
    // max.poll.records as configured (0 when not set): a poll that brings this many came back full.
    private final int fullPoll;

    private volatile boolean running;
    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Instant lastEventTime;
    private volatile boolean caughtUp;
    private volatile long assignedEpoch;

    // Owned by the consumer thread.
    private List<TopicPartition> partitions = List.of();
    private Instant partitionsCheckedAt = Instant.EPOCH;
    private int failedAttempts;
    private boolean lastFailureWasRecordFault;

    public PartitionedTopicConsumer(
            Settings settings,
            Handler<B, R> handler,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this(settings, handler, Ownership.ALWAYS, jdbc, transactions, kafka, registry);
    }

    /** A consumer that polls and writes only while {@code ownership} gives it an epoch. */
    public PartitionedTopicConsumer(
            Settings settings,
            Handler<B, R> handler,
            Ownership ownership,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.settings = settings;
        this.handler = handler;
        this.ownership = ownership;
        this.positions = new StoredPositions(jdbc, settings.positionsTable());
        this.transactions = transactions;
        this.kafka = kafka;
        this.registry = registry;
        this.log = settings.log();
        this.fullPoll =
                settings.consumerConfig().get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG) instanceof Integer n ? n : 0;
        this.failures = Counter.builder(settings.metricPrefix() + "_failures")
                .description(settings.failuresDescription())
                .register(registry);
        this.fenced = Counter.builder(settings.metricPrefix() + "_fenced")
                .description("Transactions rolled back because this instance no longer owned the topic")
                .register(registry);
        this.writeTime = phaseTimer(settings, registry, "write");
        this.beforeCommitTime = phaseTimer(settings, registry, "before_commit");
        this.commitTime = phaseTimer(settings, registry, "commit");
        Gauge.builder(settings.metricPrefix() + "_lag_seconds", this, PartitionedTopicConsumer::lagSeconds)
                .description(settings.lagSecondsDescription())
                .register(registry);
    }

    /**
     * One phase of a poll's transaction: the handler's writes, what it does before the commit (the
     * projection's changelog publish) with the stored positions, and the commit itself.
     */
    private static Timer phaseTimer(Settings settings, MeterRegistry registry, String phase) {
        return Timer.builder(settings.metricPrefix() + "_transaction_phase")
                .tag("phase", phase)
                .description("Time per phase of the transaction of a poll that carried records")
                .register(registry);
    }

    private double lagSeconds() {
        Instant last = lastEventTime;
        if (caughtUp || last == null) {
            return 0;
        }
        return Math.max(0, Duration.between(last, Instant.now()).toMillis() / 1000.0);
    }

    /** Starts the consumer thread unless it runs already. */
    public synchronized void start() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        running = true;
        caughtUp = false;
        failedAttempts = 0;
        ownership.contest();
        Thread worker = new Thread(this::run, settings.threadName());
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    /** Stops the thread after its current poll and waits up to 30 s for it to end. */
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
        ownership.withdraw();
    }

    public boolean isRunning() {
        Thread worker = thread;
        return running && worker != null && worker.isAlive();
    }

    /** True once every assigned partition has been read to its end and committed. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * The epoch the stored positions were loaded under, which every transaction is fenced with; 0
     * while this consumer stands by.
     */
    public long assignedEpoch() {
        return assignedEpoch;
    }

    /** Whether this consumer owns its topic now: it has an epoch and the ownership still grants it. */
    public boolean owned() {
        long epoch = assignedEpoch;
        return epoch != 0 && ownership.epoch() == epoch;
    }

    /**
     * True between a failed poll and the next one that committed records: the stored positions
     * are behind what the partitions hold and may stay so. Read on the consumer thread.
     */
    public boolean failing() {
        return failedAttempts > 0;
    }

    private void run() {
        partitions = List.of();
        partitionsCheckedAt = Instant.EPOCH;
        try (KafkaConsumer<String, byte[]> kafkaConsumer = newConsumer()) {
            consumer = kafkaConsumer;
            handler.starting();
            while (running) {
                try {
                    step(kafkaConsumer);
                } catch (WakeupException e) {
                    if (running) {
                        log.debug("Spurious wakeup");
                        // A wakeup inside gather() drops records already returned by earlier polls:
                        // seek to the stored positions again before the next poll.
                        partitions = List.of();
                        partitionsCheckedAt = Instant.EPOCH;
                    }
                } catch (FencedException e) {
                    fenced.increment();
                    log.warn("{} poll rolled back: {}; standing by", settings.name(), e.getMessage());
                    standBy(kafkaConsumer);
                    LockSupport.parkNanos(settings.retryBackoff().toNanos());
                } catch (RuntimeException e) {
                    failures.increment();
                    failedAttempts++;
                    lastFailureWasRecordFault = handler.isRecordFault(e);
                    log.error(
                            "{} poll failed (attempt {}); retrying from the stored positions",
                            settings.name(),
                            failedAttempts,
                            e);
                    partitions = List.of();
                    partitionsCheckedAt = Instant.EPOCH;
                    LockSupport.parkNanos(settings.retryBackoff().toNanos());
                }
            }
        } finally {
            consumer = null;
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(
                consumerConfig(kafka, settings.consumerConfig(), settings.clientId()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Boot's {@code spring.kafka.*} first (bootstrap servers, {@code security.protocol},
     * {@code ssl.*}, {@code spring.kafka.properties.*} such as SASL, {@code spring.kafka.consumer.*}),
     * so TLS and SASL reach this consumer; then its own settings; then what it relies on: no auto
     * commit (positions live in PostgreSQL), reading from the start, its client id.
     */
    public static Map<String, Object> consumerConfig(KafkaProperties kafka, Map<String, Object> own, String clientId) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.putAll(own);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    private void step(KafkaConsumer<String, byte[]> kafkaConsumer) {
        long epoch = ownership.epoch();
        if (epoch == 0) {
            if (assignedEpoch != 0) {
                log.info("{}: {} is not owned here any more; standing by", settings.name(), settings.topic());
                standBy(kafkaConsumer);
            }
            LockSupport.parkNanos(POLL.toNanos());
            return;
        }
        if (epoch != assignedEpoch) {
            // Owned under a new epoch: whatever another owner committed meanwhile is in the stored
            // positions, which are read again before the first poll.
            log.info("{}: owning {} (epoch {})", settings.name(), settings.topic(), epoch);
            partitions = List.of();
            partitionsCheckedAt = Instant.EPOCH;
            failedAttempts = 0;
            assignedEpoch = epoch;
        }
        if (!assign(kafkaConsumer)) {
            return;
        }
        handler.beforePoll(kafkaConsumer, partitions);
        ConsumerRecords<String, byte[]> records = gather(kafkaConsumer, kafkaConsumer.poll(POLL));
        if (!records.isEmpty()) {
            if (failedAttempts >= settings.maxAttempts() && lastFailureWasRecordFault) {
                processOneByOne(records);
            } else {
                process(records);
            }
            // Only a poll that carried records proves the stored positions move again: an empty
            // poll right after a failure may just not have fetched the failing records yet.
            failedAttempts = 0;
        }
        updateLag(kafkaConsumer);
        handler.afterPoll(kafkaConsumer, partitions);
    }

    /** Joins the polls that follow a full one (or one behind a backlog), up to {@link Handler#recordsPerTransaction()} records. */
    private ConsumerRecords<String, byte[]> gather(
            KafkaConsumer<String, byte[]> kafkaConsumer, ConsumerRecords<String, byte[]> first) {
        int limit = handler.recordsPerTransaction();
        int full = fullPoll;
        if (limit <= 0
                || full <= 0
                || first.isEmpty()
                || first.count() >= limit
                || (first.count() < full && behind(kafkaConsumer) < full)) {
            return first;
        }
        long byteLimit = handler.bytesPerTransaction();
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> joined = new HashMap<>();
        long bytes = join(joined, first);
        int total = first.count();
        ConsumerRecords<String, byte[]> last = first;
        while (running && total < limit && bytes < byteLimit && !last.isEmpty()) {
            last = kafkaConsumer.poll(GATHER_POLL);
            bytes += join(joined, last);
            total += last.count();
        }
        return total == first.count() ? first : new ConsumerRecords<>(joined, Map.of());
    }

    /** Records the partitions hold past what the consumer has returned, as far as its last fetch knows. */
    private long behind(KafkaConsumer<String, byte[]> kafkaConsumer) {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            OptionalLong lag = kafkaConsumer.currentLag(partition);
            if (lag.isPresent()) {
                behind += lag.getAsLong();
            }
        }
        return behind;
    }

    /** Appends the records to their partitions' lists and returns the bytes of their values. */
    private static long join(
            Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> joined, ConsumerRecords<String, byte[]> records) {
        long bytes = 0;
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(partition);
            joined.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(list);
            for (ConsumerRecord<String, byte[]> record : list) {
                bytes += Math.max(0, record.serializedValueSize());
            }
        }
        return bytes;
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        Map<Integer, Long> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            next.put(record.partition(), record.offset() + 1);
        }
        B batch = handler.prepare(records);
        long epoch = assignedEpoch;
        long[] committing = new long[1];
        long start = System.nanoTime();
        R result = transactions.execute(status -> {
            ownership.fence(epoch);
            R written = handler.write(batch);
            long wrote = System.nanoTime();
            writeTime.record(wrote - start, TimeUnit.NANOSECONDS);
            positions.save(settings.topic(), next);
            handler.beforeCommit(written);
            committing[0] = System.nanoTime();
            beforeCommitTime.record(committing[0] - wrote, TimeUnit.NANOSECONDS);
            return written;
        });
        commitTime.record(System.nanoTime() - committing[0], TimeUnit.NANOSECONDS);
        Instant latest = handler.committed(batch, result);
        if (latest != null) {
            lastEventTime = latest;
        }
    }

    /**
     * The poll failed {@code maxAttempts} times for what may be a record's fault: each record is
     * applied in a transaction of its own, and one that fails alone, for a reason of its own, is
     * handed to {@link Handler#park} in a transaction that stores the position after it. Any other
     * failure propagates and the poll is retried as a whole.
     */
    private void processOneByOne(ConsumerRecords<String, byte[]> records) {
        log.warn(
                "{} poll failed {} times: applying its {} records one by one",
                settings.name(),
                failedAttempts,
                records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            try {
                process(new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of()));
            } catch (RuntimeException e) {
                if (e instanceof FencedException || !handler.isRecordFault(e)) {
                    throw e;
                }
                failures.increment();
                log.error(
                        "{} record {}-{}@{} cannot be applied; parking it and moving on",
                        settings.name(),
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e);
                long epoch = assignedEpoch;
                transactions.executeWithoutResult(status -> {
                    ownership.fence(epoch);
                    handler.park(record, e);
                    positions.save(settings.topic(), Map.of(record.partition(), record.offset() + 1));
                });
                handler.parked(record);
            }
        }
    }

    /** Drops the assignment until the topic is owned again; the next owner reloads the positions. */
    private void standBy(KafkaConsumer<String, byte[]> kafkaConsumer) {
        assignedEpoch = 0;
        partitions = List.of();
        partitionsCheckedAt = Instant.EPOCH;
        failedAttempts = 0;
        caughtUp = false;
        kafkaConsumer.assign(List.of());
    }

    /** Assigns every partition of the topic and seeks to the stored positions; false until it exists. */
    private boolean assign(KafkaConsumer<String, byte[]> kafkaConsumer) {
        Instant now = Instant.now();
        if (!partitions.isEmpty() && Duration.between(partitionsCheckedAt, now).compareTo(PARTITION_CHECK) < 0) {
            return true;
        }
        partitionsCheckedAt = now;
        String topic = settings.topic();
        List<PartitionInfo> infos = kafkaConsumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            log.info("Waiting for topic {}", topic);
            LockSupport.parkNanos(settings.retryBackoff().toNanos());
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
        Map<Integer, Long> stored = positions.load(topic);
        for (TopicPartition partition : found) {
            Long offset = stored.get(partition.partition());
            if (offset == null) {
                kafkaConsumer.seekToBeginning(List.of(partition));
            } else {
                kafkaConsumer.seek(partition, offset);
            }
            if (consumerLag.putIfAbsent(partition.partition(), 0L) == null) {
                Gauge.builder(
                                settings.metricPrefix() + "_consumer_lag",
                                consumerLag,
                                m -> m.getOrDefault(partition.partition(), 0L))
                        .tag("partition", Integer.toString(partition.partition()))
                        .description(settings.consumerLagDescription())
                        .register(registry);
            }
        }
        log.info(settings.assignedMessage(), found.size(), topic);
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
}
