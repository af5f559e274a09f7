package dev.keyledger.query.projection;

import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.database.DatabaseEvent;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The databases table: organization, name, allowed origins and deletion. Joins the caller's
 * transaction.
 */
@Component
class DatabaseProjection {

    private final ProjectionStore store;

    DatabaseProjection(ProjectionStore store) {
        this.store = store;
    }

    PollRows<DatabaseRow> load(Set<String> ids) {
        return new PollRows<>(store.loadDatabases(ids), DatabaseRow::id, DatabaseRow::lastSequence);
    }

    PollRows.Change apply(PollRows<DatabaseRow> rows, DatabaseEvent event, Instant at, long sequence) {
        return rows.apply(event.databaseId(), sequence, current -> switch (event) {
            case DatabaseCreatedEvent created -> DatabaseRow.created(created, at, sequence);
            case AllowedOriginsChangedEvent origins ->
                current == null ? null : current.originsChanged(origins, sequence);
            case DatabaseDeletedEvent deleted -> current == null ? null : current.deleted(at, sequence);
        });
    }

    void write(PollRows<DatabaseRow> rows) {
        store.upsertDatabases(rows.changed());
    }
}
