package dev.keyledger.contracts.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Expires a key whose expiry time has come (sent by the expiry deadline or scheduler). */
public record ExpireApiKeyCommand(@TargetAggregateIdentifier String keyId) {}
