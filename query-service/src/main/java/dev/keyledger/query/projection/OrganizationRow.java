package dev.keyledger.query.projection;

import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import java.time.Instant;

/** The projected state of one organization. Immutable; events produce new values. */
record OrganizationRow(
        String id,
        String name,
        String plan,
        long requestsPerMinute,
        long requestsPerDay,
        Instant createdAt,
        long lastSequence) {

    static OrganizationRow created(OrganizationCreatedEvent event, Instant occurredAt, long sequence) {
        return new OrganizationRow(
                event.organizationId(),
                event.name(),
                event.plan().wireName(),
                event.limits().requestsPerMinute(),
                event.limits().requestsPerDay(),
                occurredAt,
                sequence);
    }

    OrganizationRow planChanged(OrganizationPlanChangedEvent event, long sequence) {
        return new OrganizationRow(
                id,
                name,
                event.plan().wireName(),
                event.limits().requestsPerMinute(),
                event.limits().requestsPerDay(),
                createdAt,
                sequence);
    }
}
