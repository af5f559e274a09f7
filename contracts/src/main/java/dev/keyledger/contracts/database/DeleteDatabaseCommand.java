package dev.keyledger.contracts.database;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Deletes a database; {@code organizationId} is the caller's, checked by the aggregate. Its public
 * keys are revoked before this command is sent ({@link dev.keyledger.contracts.apikey.RevokeApiKeysCommand}).
 */
public record DeleteDatabaseCommand(
        @TargetAggregateIdentifier String databaseId, String organizationId) {}
