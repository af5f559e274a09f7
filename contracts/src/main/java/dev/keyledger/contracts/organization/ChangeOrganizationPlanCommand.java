package dev.keyledger.contracts.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves an organization to another plan; {@code limits} only for enterprise. */
public record ChangeOrganizationPlanCommand(
        @TargetAggregateIdentifier String organizationId, Plan plan, RateLimits limits) {}
