package dev.keyledger.contracts.organization;

import org.axonframework.serialization.Revision;

/** An organization changed plan; every active key of it now has {@code limits}. */
@Revision("1")
public record OrganizationPlanChangedEvent(String organizationId, Plan plan, RateLimits limits)
        implements OrganizationEvent {}
