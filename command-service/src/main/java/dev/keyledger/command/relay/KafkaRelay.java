package dev.keyledger.command.relay;

import dev.keyledger.contracts.KeyledgerEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Publishes every domain event of the store to Kafka. Each event of a batch is sent at once,
 * without waiting; before the batch's unit of work commits (and with it the token, in the same
 * transaction) every acknowledgement is awaited. A failed or missing
 * acknowledgement throws, which rolls back the token, so the whole batch is sent again: at least
 * once, never lost. Runs on the processor's threads only; one batch belongs to one thread.
 */
@Component
@ProcessingGroup(KafkaRelay.PROCESSOR)
class KafkaRelay {

    static final String PROCESSOR = "kafka-relay";

    private static final String BATCH = KafkaRelay.class.getName() + ".batch";
    private static final Logger log = LoggerFactory.getLogger(KafkaRelay.class);

    private final RelayProducer producer;
    private final RelayPublication publication;
    private final RelayProperties properties;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final Clock clock;
    private final Counter published;
    private final Counter failed;
    private volatile Instant lastRelayedEventTime;
    private volatile boolean firstBatchLogged;

    KafkaRelay(
            RelayProducer relayProducer,
            RelayPublication publication,
            RelayProperties properties,
            ObjectProvider<EventProcessingConfiguration> processing,
            MeterRegistry meters) {
        this.producer = relayProducer;
        this.publication = publication;
        this.properties = properties;
        this.processing = processing;
        this.clock = Clock.systemUTC();
        this.published = Counter.builder("keyledger.relay.events.published")
                .description("Events the broker acknowledged on the key-events topic; re-sends count again")
                .register(meters);
        this.failed = Counter.builder("keyledger.relay.send.failures")
                .description("Batches rolled back because a send was not acknowledged")
                .register(meters);
        Gauge.builder("keyledger.relay.lag", this, KafkaRelay::lagSeconds)
                .description(
                        "Seconds between now and the last relayed event while the relay is behind; 0 when caught up")
                .baseUnit("seconds")
                .register(meters);
    }

    /**
     * Takes every Keyledger event, whatever its message type, so that an event that is not a
     * domain event stops the relay loudly (see {@link KeyEventRecords}) instead of being skipped.
     */
    @EventHandler
    void on(KeyledgerEvent event, EventMessage<?> message, UnitOfWork<?> unitOfWork) {
        ProducerRecord<String, byte[]> record = KeyEventRecords.toRecord(properties.topic(), message);
        Batch batch = batch(unitOfWork);
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        try {
            producer.send(batch.producer(), record, (metadata, exception) -> {
                if (exception == null) {
                    ack.complete(metadata);
                } else {
                    ack.completeExceptionally(exception);
                }
            });
        } catch (RuntimeException e) {
            failed(batch);
            throw e;
        }
        batch.sends().add(new PendingSend(ack, message.getTimestamp()));
    }

    /** One batch of the processor: the producer it sends with and its pending acknowledgements. */
    private Batch batch(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch(producer.current(), new ArrayList<>(), clock.instant());
            unitOfWork.onPrepareCommit(committing -> awaitAcknowledgements(batch));
            // The token is committed now: answers waiting for these events (RelayPublication) look again.
            unitOfWork.afterCommit(committed -> publication.relayCommitted());
            return batch;
        });
    }

    /**
     * Runs in the prepare-commit phase, inside the transaction that stores the token: throwing here
     * keeps the old token, so the batch is read and sent again. The wait is bounded by
     * {@code ack-timeout}, which stays below Axon's 60-second limit on a processor's unit of work.
     */
    private void awaitAcknowledgements(Batch batch) {
        long deadline = System.nanoTime() + properties.ackTimeout().toNanos();
        Instant newest = null;
        try {
            for (PendingSend send : batch.sends()) {
                send.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                newest = send.eventTime();
            }
        } catch (ExecutionException | TimeoutException e) {
            failed(batch);
            throw new RelayException("a key event was not acknowledged by the broker; the batch will be sent again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(batch);
            throw new RelayException("interrupted while waiting for the broker; the batch will be sent again", e);
        }
        published.increment(batch.sends().size());
        if (newest != null) {
            lastRelayedEventTime = newest;
        }
        if (!firstBatchLogged && !batch.sends().isEmpty()) {
            firstBatchLogged = true;
            Instant oldest = batch.sends().get(0).eventTime();
            log.info(
                    "first batch since the start relayed: {} events, handled {} ms and acknowledged {} ms after the first"
                            + " was appended",
                    batch.sends().size(),
                    Duration.between(oldest, batch.handledAt()).toMillis(),
                    Duration.between(oldest, clock.instant()).toMillis());
        }
    }

    private void failed(Batch batch) {
        failed.increment();
        producer.replace(batch.producer());
    }

    private double lagSeconds() {
        Optional<StreamingEventProcessor> processor = Optional.ofNullable(processing.getIfAvailable())
                .flatMap(configuration -> configuration.eventProcessor(PROCESSOR, StreamingEventProcessor.class));
        boolean caughtUp = processor
                .map(p -> !p.processingStatus().isEmpty()
                        && p.processingStatus().values().stream().allMatch(EventTrackerStatus::isCaughtUp))
                .orElse(false);
        Instant last = lastRelayedEventTime;
        if (caughtUp) {
            return 0;
        }
        if (last == null) {
            return Double.NaN;
        }
        return Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
    }

    private record Batch(Producer<String, byte[]> producer, List<PendingSend> sends, Instant handledAt) {}

    private record PendingSend(CompletableFuture<RecordMetadata> ack, Instant eventTime) {}

    /** A batch could not be confirmed on the broker; Axon rolls it back and retries it. */
    static final class RelayException extends RuntimeException {

        RelayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
