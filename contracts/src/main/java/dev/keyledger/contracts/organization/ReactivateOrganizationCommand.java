package dev.keyledger.contracts.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Ends a suspension; reactivating an active organization changes nothing. */
public record ReactivateOrganizationCommand(
        @TargetAggregateIdentifier String organizationId) {}
