package dev.keyledger.contracts.database;

import java.util.List;
import org.axonframework.serialization.Revision;

/** A database was created. */
@Revision("1")
public record DatabaseCreatedEvent(String databaseId, String organizationId, String name, List<String> allowedOrigins)
        implements DatabaseEvent {}
