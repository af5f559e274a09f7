package dev.keyledger.query.projection;

import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import java.time.Instant;
import java.util.List;

/**
 * The projected state of one database. Immutable; events produce new values. A deleted database
 * keeps its row (its keys and history refer to it) with {@code deletedAt} set.
 */
record DatabaseRow(
        String id,
        String organizationId,
        String name,
        List<String> allowedOrigins,
        Instant createdAt,
        long lastSequence,
        Instant deletedAt) {

    static DatabaseRow created(DatabaseCreatedEvent event, Instant occurredAt, long sequence) {
        return new DatabaseRow(
                event.databaseId(),
                event.organizationId(),
                event.name(),
                List.copyOf(event.allowedOrigins()),
                occurredAt,
                sequence,
                null);
    }

    DatabaseRow originsChanged(AllowedOriginsChangedEvent event, long sequence) {
        return new DatabaseRow(
                id, organizationId, name, List.copyOf(event.allowedOrigins()), createdAt, sequence, deletedAt);
    }

    DatabaseRow deleted(Instant occurredAt, long sequence) {
        return new DatabaseRow(id, organizationId, name, allowedOrigins, createdAt, sequence, occurredAt);
    }
}
