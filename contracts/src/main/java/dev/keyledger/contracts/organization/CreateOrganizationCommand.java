package dev.keyledger.contracts.organization;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates an organization on a plan; {@code limits} only for enterprise. */
public record CreateOrganizationCommand(
        @TargetAggregateIdentifier String organizationId, String name, Plan plan, RateLimits limits) {}
