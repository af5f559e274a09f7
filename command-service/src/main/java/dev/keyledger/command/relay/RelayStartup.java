package dev.keyledger.command.relay;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.spring.config.SpringAxonConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Holds the start of the web servers until the relay runs: its producer has the partitions of the
 * topic from the broker (connected, metadata fetched, so the first send waits for nothing), and
 * the {@code kafka-relay} processor has claimed its token segments and caught up with the event
 * store. Without it the API port opened while the processor was still claiming its segment after a
 * restart, and the first commands (a revocation) waited seconds for a relay that was not running
 * yet (docs/reliability.md).
 *
 * <p>Its phase lies after Axon's start ({@link SpringAxonConfiguration#LIFECYCLE_PHASE},
 * {@code Integer.MAX_VALUE - 3072}) and before Boot's web server start ({@code Integer.MAX_VALUE -
 * 2048}); Spring starts phases in order and waits for {@link #start()}, so no request reaches the
 * API before the relay runs. The wait is
 * bounded by {@code keyledger.relay.startup-timeout}: past it (no broker reachable at start) the
 * API opens anyway, since every command is stored and relayed later, and the {@code relay} health
 * indicator, part of the readiness group, stays DOWN until the relay runs. Thread safe: one
 * waiting thread writes the state, readers see volatile fields.
 */
@Component
class RelayStartup implements SmartLifecycle {

    /**
     * Right after Axon's configuration starts (which starts the processors, each claiming its
     * segments on a thread of its own), before the web servers do.
     */
    static final int PHASE = SpringAxonConfiguration.LIFECYCLE_PHASE + 1;

    private static final Logger log = LoggerFactory.getLogger(RelayStartup.class);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final RelayProducer producer;
    private final RelayProperties properties;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String waitingFor = "the relay to start";
    private volatile int partitions = -1;
    private volatile long readyAfterMillis = -1;
    private volatile boolean running;
    private volatile Thread waiter;

    RelayStartup(
            RelayProducer producer,
            RelayProperties properties,
            ObjectProvider<EventProcessingConfiguration> processing) {
        this.producer = producer;
        this.properties = properties;
        this.processing = processing;
    }

    @Override
    public void start() {
        running = true;
        long started = System.nanoTime();
        waiter = Thread.ofPlatform().name("relay-startup").daemon().start(() -> awaitRelay(started));
        Duration timeout = properties.startupTimeout();
        boolean inTime;
        try {
            inTime = ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inTime = false;
        }
        if (inTime) {
            log.info(
                    "relay running after {} ms (producer connected, {} partitions of {}; processor caught up); opening the API",
                    readyAfterMillis,
                    partitions,
                    properties.topic());
        } else {
            log.warn(
                    "relay not running after {}: waiting for {}; the API opens anyway (commands are stored and relayed later)"
                            + " and the relay health stays DOWN until it runs",
                    timeout,
                    waitingFor);
        }
    }

    private void awaitRelay(long started) {
        while (running && !ready()) {
            if (partitions < 0) {
                connect();
            } else {
                checkProcessor();
            }
            if (partitions >= 0 && waitingFor == null) {
                readyAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                ready.countDown();
                return;
            }
            LockSupport.parkNanos(CHECK_INTERVAL_NANOS);
        }
    }

    /** Fetches the topic's metadata, which connects the producer; blocks up to its max.block.ms. */
    private void connect() {
        waitingFor = "the broker (metadata of " + properties.topic() + ")";
        try {
            List<PartitionInfo> found = producer.current().partitionsFor(properties.topic());
            if (found.isEmpty()) {
                waitingFor = "the broker to report the partitions of " + properties.topic();
                return;
            }
            partitions = found.size();
            waitingFor = "the kafka-relay processor to start";
        } catch (KafkaException e) {
            waitingFor = "the broker (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    private void checkProcessor() {
        Optional<StreamingEventProcessor> processor = Optional.ofNullable(processing.getIfAvailable())
                .flatMap(configuration ->
                        configuration.eventProcessor(KafkaRelay.PROCESSOR, StreamingEventProcessor.class));
        if (processor.isEmpty()) {
            waitingFor = "the kafka-relay processor to be configured";
            return;
        }
        Map<Integer, EventTrackerStatus> status = processor.get().processingStatus();
        if (status.isEmpty()) {
            waitingFor = "the kafka-relay processor to claim its token segments";
        } else if (status.values().stream().anyMatch(EventTrackerStatus::isErrorState)) {
            waitingFor = "the kafka-relay processor to recover from an error";
        } else if (!status.values().stream().allMatch(EventTrackerStatus::isCaughtUp)) {
            waitingFor = "the kafka-relay processor to catch up with the event store";
        } else {
            waitingFor = null;
        }
    }

    /** Whether the relay has run since the start: connected and caught up once. */
    boolean ready() {
        return ready.getCount() == 0;
    }

    /** What the start still waits for, or {@code null} once the relay runs. */
    String waitingFor() {
        return ready() ? null : waitingFor;
    }

    int partitions() {
        return partitions;
    }

    long readyAfterMillis() {
        return readyAfterMillis;
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = waiter;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
