package dev.keyledger.contracts.database;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces the allowed origins of a database; {@code organizationId} is the caller's, checked by the aggregate. */
public record ChangeAllowedOriginsCommand(
        @TargetAggregateIdentifier String databaseId, String organizationId, List<String> allowedOrigins) {}
