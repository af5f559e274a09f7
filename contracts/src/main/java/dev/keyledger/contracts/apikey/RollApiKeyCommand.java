package dev.keyledger.contracts.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Marks a key as rolled: it expires after the grace period, and {@code successorId} replaces it. */
public record RollApiKeyCommand(
        @TargetAggregateIdentifier String keyId, String organizationId, String successorId, long gracePeriodSeconds) {}
