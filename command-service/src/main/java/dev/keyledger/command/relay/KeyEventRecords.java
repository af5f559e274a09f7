package dev.keyledger.command.relay;

import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;

/**
 * Turns a stored domain event into its record on {@code keyledger.key-events}: key = aggregate id,
 * so every event of an aggregate lands on one partition in order; id, type and revision also in
 * headers, so a consumer can route or skip a record without parsing its value. Stateless.
 */
final class KeyEventRecords {

    private KeyEventRecords() {}

    /**
     * The record of one event. Throws {@link IllegalArgumentException} for a payload that is not a
     * known Keyledger event, or for an event that does not come from an aggregate (it would have no
     * sequence number to deduplicate on): both are programming errors, and the relay stops on them
     * rather than skip an event.
     */
    static ProducerRecord<String, byte[]> toRecord(String topic, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            throw new IllegalArgumentException("not an aggregate's event, cannot relay: " + message.getPayloadType());
        }
        KeyEventTypes.Type type = KeyEventTypes.of(event.getPayloadType());
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                event.getIdentifier(),
                event.getAggregateIdentifier(),
                type.aggregateType(),
                event.getSequenceNumber(),
                type.name(),
                type.revision(),
                event.getTimestamp(),
                actor(event.getMetaData()),
                KeyledgerJson.tree(event.getPayload()),
                organizationSeq(event));
        RecordHeaders headers = new RecordHeaders();
        headers.add(KeyEventHeaders.EVENT_ID, utf8(envelope.eventId()));
        headers.add(KeyEventHeaders.EVENT_TYPE, utf8(envelope.type()));
        headers.add(KeyEventHeaders.EVENT_REVISION, utf8(envelope.revision()));
        // No record timestamp: the broker's time-based retention must count from the send, or a
        // replay of old events would be deleted as soon as it is written.
        return new ProducerRecord<>(topic, null, envelope.aggregateId(), KeyledgerJson.write(envelope), headers);
    }

    /**
     * The event's position in its organization's history, which the event store's trigger put into
     * its metadata when it stored it (db/command V4). An event without one did not come through
     * the store: a programming error, so the relay stops rather than publish an entry the audit
     * chain cannot place.
     */
    static long organizationSeq(DomainEventMessage<?> event) {
        Object seq = event.getMetaData().get(KeyEventEnvelope.META_ORGANIZATION_SEQ);
        if (seq instanceof Number number && number.longValue() > 0) {
            return number.longValue();
        }
        if (seq instanceof String text && text.matches("[1-9][0-9]{0,18}")) {
            return Long.parseLong(text);
        }
        throw new IllegalArgumentException("event " + event.getIdentifier() + " of " + event.getAggregateIdentifier()
                + " has no organization_seq: was it stored by the event store?");
    }

    /** The actor recorded on the event by the command side; events without one were caused by the system. */
    static Actor actor(MetaData metaData) {
        Object subject = metaData.get(Actor.META_SUBJECT);
        if (subject == null) {
            return Actor.SYSTEM;
        }
        return new Actor(
                subject.toString(), text(metaData.get(Actor.META_IP)), text(metaData.get(Actor.META_USER_AGENT)));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
