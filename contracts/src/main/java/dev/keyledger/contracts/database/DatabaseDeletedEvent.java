package dev.keyledger.contracts.database;

import org.axonframework.serialization.Revision;

/**
 * A database was deleted: it takes no new keys, leaves the read API's lists, and the edge forgets
 * it (a secret key naming it is refused as for an unknown database). Its history stays.
 */
@Revision("1")
public record DatabaseDeletedEvent(String databaseId, String organizationId) implements DatabaseEvent {}
