package dev.keyledger.contracts.database;

import java.util.List;
import org.axonframework.serialization.Revision;

/** The allowed origins of a database were replaced; public keys of it follow at once. */
@Revision("1")
public record AllowedOriginsChangedEvent(String databaseId, String organizationId, List<String> allowedOrigins)
        implements DatabaseEvent {}
