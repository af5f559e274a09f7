package dev.keyledger.contracts.database;

import dev.keyledger.contracts.KeyledgerEvent;

/** Events of the database aggregate; the database id is the aggregate id. */
public sealed interface DatabaseEvent extends KeyledgerEvent
        permits DatabaseCreatedEvent, AllowedOriginsChangedEvent, DatabaseDeletedEvent {

    String databaseId();

    @Override
    default String aggregateId() {
        return databaseId();
    }
}
