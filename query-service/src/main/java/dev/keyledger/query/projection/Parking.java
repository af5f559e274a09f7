package dev.keyledger.query.projection;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sets aside an event the projection could not apply, so that its partition moves on: a row in
 * {@code projection_parked_events} and the metric {@code keyledger_projection_parked_events}. A
 * revocation or expiry is never merely set aside: its key is marked revoked or expired if the row
 * takes it, and its tombstone is published on {@code keyledger.active-keys} whatever else failed;
 * if the tombstone cannot be published the whole parking fails and is retried.
 *
 * <p>Runs inside the caller's transaction (the one that also stores the position after the
 * record). Used by the projection thread and the rebuild thread; stateless apart from the metric.
 */
@Component
class Parking {

    private static final Logger LOG = LoggerFactory.getLogger(Parking.class);
    private static final int MAX_ERROR_LENGTH = 4000;

    private final ProjectionStore store;
    private final ActiveKeyChangelog changelog;
    private final TransactionTemplate savepoint;
    private final Counter parked;

    Parking(
            ProjectionStore store,
            ActiveKeyChangelog changelog,
            TransactionTemplate transactions,
            MeterRegistry registry) {
        this.store = store;
        this.changelog = changelog;
        this.savepoint = new TransactionTemplate(transactions.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.parked = Counter.builder("keyledger_projection_parked_events")
                .description("Events of keyledger.key-events that could not be applied and were parked")
                .register(registry);
    }

    /**
     * Parks {@code record}. With {@code publish} false (a rebuild's replay, whose changelog the live
     * projection already wrote) no tombstone is sent.
     */
    void park(ConsumerRecord<String, byte[]> record, RuntimeException failure, boolean publish) {
        KeyEventEnvelope envelope = null;
        KeyledgerEvent event = null;
        try {
            envelope = KeyledgerJson.readEnvelope(record.value());
            event = KeyledgerJson.payload(envelope);
        } catch (RuntimeException unreadable) {
            LOG.debug("Parked record {}-{}@{} is unreadable", record.topic(), record.partition(), record.offset());
        }
        boolean tombstone = false;
        if (envelope != null && (event instanceof ApiKeyRevokedEvent || event instanceof ApiKeyExpiredEvent)) {
            ApiKeyStatus status = event instanceof ApiKeyRevokedEvent ? ApiKeyStatus.REVOKED : ApiKeyStatus.EXPIRED;
            String keyId = ((ApiKeyEvent) event).keyId();
            long sequence = envelope.sequenceNumber();
            try {
                // In a savepoint, so that a row that refuses even this leaves the transaction usable.
                savepoint.executeWithoutResult(s -> store.endKey(keyId, status, sequence));
            } catch (RuntimeException e) {
                if (Failures.isInfrastructure(e)) {
                    throw e;
                }
                LOG.error("Key {} could not even be marked {}; publishing its tombstone anyway", keyId, status, e);
            }
            if (publish) {
                tombstone = changelog.publishTombstone(keyId, envelope.occurredAt());
            }
        }
        store.park(new ParkedEvent(
                record.topic(),
                record.partition(),
                record.offset(),
                text(envelope == null ? record.key() : envelope.aggregateId()),
                envelope == null ? null : envelope.sequenceNumber(),
                text(envelope == null ? null : envelope.type()),
                text(describe(failure)),
                record.value(),
                tombstone));
    }

    /** Called once the parking committed. */
    void parked(ConsumerRecord<String, byte[]> record) {
        parked.increment();
        LOG.error(
                "Parked {}-{}@{} (key {}): see projection_parked_events and docs/runbooks/projection-event-parked.md",
                record.topic(),
                record.partition(),
                record.offset(),
                record.key());
    }

    /** The failure and each of its causes, so that the row says what the database refused. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause();
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    /** Text PostgreSQL takes whatever the event held: no NUL, bounded length. */
    private static String text(String value) {
        if (value == null) {
            return null;
        }
        String clean = value.replace("\0", "");
        return clean.length() <= MAX_ERROR_LENGTH ? clean : clean.substring(0, MAX_ERROR_LENGTH);
    }
}
