package dev.keyledger.contracts.database;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates a database connection of an organization with its allowed browser origins. */
public record CreateDatabaseCommand(
        @TargetAggregateIdentifier String databaseId,
        String organizationId,
        String name,
        List<String> allowedOrigins) {}
