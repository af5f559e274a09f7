package dev.keyledger.contracts.organization;

import dev.keyledger.contracts.KeyledgerEvent;

/** Events of the organization aggregate; the organization id is the aggregate id. */
public sealed interface OrganizationEvent extends KeyledgerEvent
        permits OrganizationCreatedEvent,
                OrganizationPlanChangedEvent,
                OrganizationSuspendedEvent,
                OrganizationReactivatedEvent {

    @Override
    default String aggregateId() {
        return organizationId();
    }
}
