package dev.keyledger.contracts.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The value of a record on {@link Topics#KEY_EVENTS}. Consumers deduplicate on
 * ({@code aggregateId}, {@code sequenceNumber}); {@code type} and {@code revision} select the payload
 * class through {@link KeyEventTypes}. Serialized in snake_case by {@link KeyledgerJson}.
 *
 * <p>{@code organizationSeq} ({@code organization_seq}) is the event's position in its
 * organization's history, from 1, assigned by the command side in the transaction that stored the
 * event; the audit hash chain follows it (docs/audit.md). {@code null} only on records relayed
 * before it existed; the command side relays every event again once it has numbered them.
 */
public record KeyEventEnvelope(
        String eventId,
        String aggregateId,
        String aggregateType,
        long sequenceNumber,
        String type,
        String revision,
        Instant occurredAt,
        Actor actor,
        JsonNode payload,
        Long organizationSeq) {

    /** Event metadata key under which the command side's event store records {@code organizationSeq}. */
    public static final String META_ORGANIZATION_SEQ = "organization_seq";

    /** An envelope without an organization seq (records relayed before it existed, tests). */
    public KeyEventEnvelope(
            String eventId,
            String aggregateId,
            String aggregateType,
            long sequenceNumber,
            String type,
            String revision,
            Instant occurredAt,
            Actor actor,
            JsonNode payload) {
        this(eventId, aggregateId, aggregateType, sequenceNumber, type, revision, occurredAt, actor, payload, null);
    }
}
