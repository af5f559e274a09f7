package dev.keyledger.contracts.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Renames a key of the caller's organization. */
public record RenameApiKeyCommand(@TargetAggregateIdentifier String keyId, String organizationId, String name) {}
