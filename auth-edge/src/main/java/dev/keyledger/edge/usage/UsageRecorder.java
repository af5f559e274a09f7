package dev.keyledger.edge.usage;

import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.contracts.usage.UsageReportCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Usage of every answered request with a known key, counted exactly once even across a SIGKILL
 * (docs/decisions/0008-edge-usage-spool.md).
 *
 * <p>Request threads call {@link #record} before the answer leaves: one 16-byte record appended
 * to the memory-mapped {@link UsageSpool} (no lock, no system call, no allocation once the key is
 * in the segment's dictionary). When the spool is full, {@link #record} returns false and the
 * request is answered 503 ({@code fail-closed}, default) or answered normally and counted as
 * dropped ({@code fail-open}).
 *
 * <p>One sender thread, every {@code flush-interval}: reads what the spool holds past the
 * committed position, folds it per key, minute and outcome, cuts it into reports with sequence
 * numbers, writes that intent to the control file, sends the reports (idempotent producer,
 * {@code acks=all}, at most one report in flight per partition), and once all are acknowledged
 * moves the committed position and deletes the segments behind it. A failure sends the same
 * reports again until they are acknowledged; a restart does the same with an unfinished intent.
 * The query-service skips a report whose sequence it already applied for this edge instance and
 * partition.
 */
public final class UsageRecorder implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final UsageProperties properties;
    private final Map<String, Object> producerConfig;
    private final UsageSpool spool;
    private final boolean fsync;
    private final Counter dropped;
    private final Counter refused;
    private final Counter sendFailures;
    private final Counter reports;
    private final Counter sentRecords;
    private final Counter skipped;
    private final Counter replayed;
    private volatile long oldestPendingMillis;
    private volatile long committedPosition;
    private volatile boolean running;
    private volatile boolean stopping;
    private Thread thread;

    public UsageRecorder(UsageProperties properties, Map<String, Object> kafkaConfig, MeterRegistry registry) {
        this.properties = properties;
        this.producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerConfig.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.maxBlock().toMillis());
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-edge-usage");
        this.fsync = properties.spool().fsync();
        this.dropped = Counter.builder("keyledger_edge_usage_dropped")
                .description("Requests answered without being counted: the spool was full and when-full is fail-open")
                .register(registry);
        this.refused = Counter.builder("keyledger_edge_usage_spool_refused")
                .description("Requests answered 503 because the usage spool was full (fail-closed)")
                .register(registry);
        this.sendFailures = Counter.builder("keyledger_edge_usage_send_failures")
                .description("Usage report sends the broker did not acknowledge (sent again)")
                .register(registry);
        this.reports = Counter.builder("keyledger_edge_usage_reports")
                .description("Usage reports acknowledged by the broker")
                .register(registry);
        this.sentRecords = Counter.builder("keyledger_edge_usage_records_sent")
                .description("Spool records (answered requests) whose reports the broker acknowledged")
                .register(registry);
        this.skipped = Counter.builder("keyledger_edge_usage_spool_skipped")
                .description(
                        "Spool slots skipped as torn (claimed by a request the process died before answering) or damaged")
                .register(registry);
        this.replayed = Counter.builder("keyledger_edge_usage_spool_replayed")
                .description("Spool records found unsent at start, left by the previous process")
                .register(registry);
        if (properties.enabled()) {
            UsageProperties.Spool settings = properties.spool();
            this.spool = UsageSpool.open(
                    settings.dir(),
                    (int) settings.segmentSize().toBytes(),
                    settings.maxSize().toBytes());
            this.committedPosition = spool.control().committed();
            this.oldestPendingMillis = spool.firstMillis(committedPosition);
            replayed.increment(spool.recoveredRecords());
            if (spool.recoveredRecords() > 0 || spool.control().pending() != null) {
                LOG.info(
                        "Usage spool {} (instance {}): {} records left unsent by the previous process{}",
                        settings.dir().toAbsolutePath(),
                        spool.instance(),
                        spool.recoveredRecords(),
                        spool.control().pending() != null ? ", and a send to finish" : "");
            } else {
                LOG.info("Usage spool {} (instance {})", settings.dir().toAbsolutePath(), spool.instance());
            }
            Gauge.builder("keyledger_edge_usage_buffered", this, r -> r.spool.pendingRecords(r.committedPosition))
                    .description("Spool records (answered requests) not yet acknowledged by the broker")
                    .register(registry);
            Gauge.builder(
                            "keyledger_edge_usage_spool_pending_bytes",
                            this,
                            r -> 16.0 * r.spool.pendingRecords(r.committedPosition))
                    .description("Bytes of spool records not yet acknowledged by the broker")
                    .register(registry);
            Gauge.builder("keyledger_edge_usage_spool_disk_bytes", spool, UsageSpool::diskBytes)
                    .description("Bytes of spool segment files on disk (preallocated)")
                    .register(registry);
            Gauge.builder("keyledger_edge_usage_spool_max_bytes", spool, UsageSpool::maxBytes)
                    .description("keyledger.usage.spool.max-size")
                    .register(registry);
            Gauge.builder("keyledger_edge_usage_spool_full", spool, s -> s.full() ? 1 : 0)
                    .description("1 while the spool has no room: requests with a known key fail as when-full says")
                    .register(registry);
            Gauge.builder("keyledger_edge_usage_spool_oldest_unsent_age_seconds", this, UsageRecorder::oldestAgeSeconds)
                    .description("Age of the oldest spool record not yet acknowledged by the broker; 0 when none")
                    .register(registry);
        } else {
            this.spool = null;
        }
    }

    private double oldestAgeSeconds() {
        long oldest = oldestPendingMillis;
        return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
    }

    /**
     * Records one answered request; call it before the answer is sent. True when it is recorded
     * (or recording is off, or the spool is full and fails open); false when the request must be
     * answered 503 instead (spool full, fail-closed).
     */
    public boolean record(String keyId, String organizationId, UsageOutcome outcome, long millis) {
        if (spool == null) {
            return true;
        }
        if (spool.append(keyId, organizationId, outcome, millis)) {
            if (oldestPendingMillis == 0) {
                oldestPendingMillis = millis;
            }
            return true;
        }
        if (properties.spool().whenFull() == UsageProperties.WhenFull.FAIL_OPEN) {
            dropped.increment();
            return true;
        }
        refused.increment();
        return false;
    }

    @Override
    public synchronized void start() {
        running = true;
        stopping = false;
        if (spool == null) {
            return;
        }
        thread = new Thread(this::run, "usage-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends what the spool holds for up to the grace, then closes it; anything left is sent at the next start. */
    @Override
    public synchronized void stop() {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(SHUTDOWN_GRACE.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
                try {
                    thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            thread = null;
        }
        running = false;
        if (spool != null && !Thread.currentThread().isInterrupted()) {
            spool.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Lifecycle phase: stops after the web server (which stops at a higher phase) has stopped answering. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void run() {
        long deadline = Long.MAX_VALUE;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            SpoolControl.Intent pending = spool.control().pending();
            if (pending != null) {
                LOG.info(
                        "Sending again the usage reports {}..{} of spool {}..{} left unacknowledged by the previous process",
                        pending.firstSequence(),
                        pending.firstSequence() + pending.count() - 1,
                        SpoolPosition.format(pending.from()),
                        SpoolPosition.format(pending.to()));
                finish(producer, pending, deadline);
            }
            while (true) {
                if (stopping && deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
                }
                if (stopping && (spool.pendingRecords(committedPosition) == 0 || System.nanoTime() > deadline)) {
                    break;
                }
                try {
                    boolean more = cycle(producer, deadline);
                    if (!more && !stopping) {
                        LockSupport.parkNanos(properties.flushInterval().toNanos());
                    }
                } catch (RuntimeException e) {
                    sendFailures.increment();
                    LOG.warn("Usage send failed; the same reports go again in {}", properties.retryBackoff(), e);
                    LockSupport.parkNanos(properties.retryBackoff().toNanos());
                }
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Usage sender stopped; the spool keeps every record for the next start", e);
        }
    }

    /** One read and send; true when the read stopped at its record limit (more is waiting). */
    private boolean cycle(KafkaProducer<String, byte[]> producer, long deadline) {
        spool.prepareStandby();
        long from = spool.control().committed();
        UsageAggregation aggregation = new UsageAggregation();
        UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
        long to = spool.read(from, Long.MAX_VALUE, properties.maxRecordsPerFlush(), aggregation, stats);
        skipped.increment(stats.skipped + aggregation.unresolved());
        if (to == from) {
            return false;
        }
        if (aggregation.records() == 0) {
            spool.control().skip(to);
            afterCommit(to);
            return false;
        }
        int partitions = partitions(producer);
        long first = spool.control().nextSequence();
        List<UsageAggregation.Addressed> addressed = aggregation.reports(spool.instance(), first, from, to, partitions);
        if (fsync) {
            spool.force();
        }
        SpoolControl.Intent intent = new SpoolControl.Intent(from, to, partitions, first, addressed.size());
        spool.control().begin(intent, fsync);
        send(producer, addressed, deadline);
        spool.control().commit(intent, fsync);
        reports.increment(addressed.size());
        sentRecords.increment(aggregation.records());
        afterCommit(to);
        return stats.records >= properties.maxRecordsPerFlush();
    }

    /** Rebuilds an intent's reports from its spool range, exactly as first cut, and sends them until acknowledged. */
    private void finish(KafkaProducer<String, byte[]> producer, SpoolControl.Intent intent, long deadline) {
        while (true) {
            try {
                UsageAggregation aggregation = new UsageAggregation();
                UsageSpool.ReadStats stats = new UsageSpool.ReadStats();
                spool.read(intent.from(), intent.to(), Long.MAX_VALUE, aggregation, stats);
                List<UsageAggregation.Addressed> addressed = aggregation.reports(
                        spool.instance(), intent.firstSequence(), intent.from(), intent.to(), intent.partitions());
                if (addressed.size() != intent.count()) {
                    LOG.error(
                            "The unfinished usage send had {} reports, its spool range now gives {}; sending these",
                            intent.count(),
                            addressed.size());
                }
                send(producer, addressed, deadline);
                spool.control()
                        .commit(
                                new SpoolControl.Intent(
                                        intent.from(),
                                        intent.to(),
                                        intent.partitions(),
                                        intent.firstSequence(),
                                        Math.max(intent.count(), addressed.size())),
                                fsync);
                reports.increment(addressed.size());
                sentRecords.increment(aggregation.records());
                afterCommit(intent.to());
                return;
            } catch (RuntimeException e) {
                sendFailures.increment();
                LOG.warn("Usage send failed; the same reports go again in {}", properties.retryBackoff(), e);
                if (stopping && System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(properties.retryBackoff().toNanos());
            }
        }
    }

    private void afterCommit(long to) {
        committedPosition = to;
        spool.release(to);
        oldestPendingMillis = spool.firstMillis(to);
    }

    private int partitions(KafkaProducer<String, byte[]> producer) {
        List<PartitionInfo> infos = producer.partitionsFor(properties.topic());
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + properties.topic() + " has no partitions");
        }
        return infos.size();
    }

    /**
     * Sends in rounds: the first report of every partition, then the second, and so on, waiting
     * for every acknowledgement of a round before the next. So a partition never has two reports
     * in flight, and the sequences the query-service sees on it only grow.
     */
    private void send(
            KafkaProducer<String, byte[]> producer, List<UsageAggregation.Addressed> addressed, long deadline) {
        Map<Integer, List<UsageAggregation.Addressed>> byPartition = new HashMap<>();
        for (UsageAggregation.Addressed report : addressed) {
            byPartition
                    .computeIfAbsent(report.partition(), p -> new ArrayList<>())
                    .add(report);
        }
        for (int round = 0; ; round++) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (List<UsageAggregation.Addressed> reportsOfPartition : byPartition.values()) {
                if (round < reportsOfPartition.size()) {
                    UsageAggregation.Addressed report = reportsOfPartition.get(round);
                    acks.add(producer.send(new ProducerRecord<>(
                            properties.topic(),
                            report.partition(),
                            report.report().edgeInstance(),
                            UsageReportCodec.encode(report.report()))));
                }
            }
            if (acks.isEmpty()) {
                return;
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                await(ack, deadline);
            }
        }
    }

    private static void await(Future<RecordMetadata> ack, long deadline) {
        try {
            if (deadline == Long.MAX_VALUE) {
                ack.get();
            } else {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not acknowledge a usage report", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no acknowledgement before the shutdown grace ended", e);
        }
    }
}
