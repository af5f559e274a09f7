package dev.keyledger.contracts.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revokes a key at once. Revoking a revoked key changes nothing. */
public record RevokeApiKeyCommand(@TargetAggregateIdentifier String keyId, String organizationId) {}
