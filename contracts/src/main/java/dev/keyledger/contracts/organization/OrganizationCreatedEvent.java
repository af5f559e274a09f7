package dev.keyledger.contracts.organization;

import org.axonframework.serialization.Revision;

/** An organization was created; {@code limits} are the effective limits of its plan. */
@Revision("1")
public record OrganizationCreatedEvent(String organizationId, String name, Plan plan, RateLimits limits)
        implements OrganizationEvent {}
