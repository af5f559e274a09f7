package dev.keyledger.query.projection;

import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import java.time.Instant;

/**
 * The projected state of one organization. Immutable; events produce new values. {@code status} is
 * {@value #ACTIVE} or {@value #SUSPENDED}; the reason and time of a suspension are kept only while
 * it lasts.
 */
record OrganizationRow(
        String id,
        String name,
        String plan,
        long requestsPerMinute,
        long requestsPerDay,
        Instant createdAt,
        long lastSequence,
        String status,
        String suspendedReason,
        Instant suspendedAt) {

    static final String ACTIVE = "active";
    static final String SUSPENDED = "suspended";

    static OrganizationRow created(OrganizationCreatedEvent event, Instant occurredAt, long sequence) {
        return new OrganizationRow(
                event.organizationId(),
                event.name(),
                event.plan().wireName(),
                event.limits().requestsPerMinute(),
                event.limits().requestsPerDay(),
                occurredAt,
                sequence,
                ACTIVE,
                null,
                null);
    }

    OrganizationRow planChanged(OrganizationPlanChangedEvent event, long sequence) {
        return new OrganizationRow(
                id,
                name,
                event.plan().wireName(),
                event.limits().requestsPerMinute(),
                event.limits().requestsPerDay(),
                createdAt,
                sequence,
                status,
                suspendedReason,
                suspendedAt);
    }

    OrganizationRow suspended(OrganizationSuspendedEvent event, Instant occurredAt, long sequence) {
        return new OrganizationRow(
                id,
                name,
                plan,
                requestsPerMinute,
                requestsPerDay,
                createdAt,
                sequence,
                SUSPENDED,
                event.reason(),
                occurredAt);
    }

    OrganizationRow reactivated(long sequence) {
        return new OrganizationRow(
                id, name, plan, requestsPerMinute, requestsPerDay, createdAt, sequence, ACTIVE, null, null);
    }
}
