package dev.keyledger.contracts.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The value of a record on {@link Topics#KEY_EVENTS}. Consumers deduplicate on
 * ({@code aggregateId}, {@code sequenceNumber}); {@code type} and {@code revision} select the payload
 * class through {@link KeyEventTypes}. Serialized in snake_case by {@link KeyledgerJson}.
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
        JsonNode payload) {}
