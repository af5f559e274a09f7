package dev.keyledger.contracts.organization;

import org.axonframework.serialization.Revision;

/**
 * An organization was suspended: its keys stay as they are (not revoked), but the edge refuses
 * every one of them until {@link OrganizationReactivatedEvent}.
 */
@Revision("1")
public record OrganizationSuspendedEvent(String organizationId, String reason) implements OrganizationEvent {}
