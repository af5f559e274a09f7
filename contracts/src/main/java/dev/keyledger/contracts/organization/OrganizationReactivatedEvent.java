package dev.keyledger.contracts.organization;

import org.axonframework.serialization.Revision;

/**
 * A suspended organization was reactivated: its keys that are still active (not revoked, not
 * expired meanwhile) work again.
 */
@Revision("1")
public record OrganizationReactivatedEvent(String organizationId) implements OrganizationEvent {}
