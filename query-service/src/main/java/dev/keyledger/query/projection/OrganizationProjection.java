package dev.keyledger.query.projection;

import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The organizations table: name, plan, limits and suspension. Joins the caller's transaction. */
@Component
class OrganizationProjection {

    private final ProjectionStore store;

    OrganizationProjection(ProjectionStore store) {
        this.store = store;
    }

    PollRows<OrganizationRow> load(Set<String> ids) {
        return new PollRows<>(store.loadOrganizations(ids), OrganizationRow::id, OrganizationRow::lastSequence);
    }

    PollRows.Change apply(PollRows<OrganizationRow> rows, OrganizationEvent event, Instant at, long sequence) {
        return rows.apply(event.organizationId(), sequence, current -> switch (event) {
            case OrganizationCreatedEvent created -> OrganizationRow.created(created, at, sequence);
            case OrganizationPlanChangedEvent plan -> current == null ? null : current.planChanged(plan, sequence);
            case OrganizationSuspendedEvent suspended ->
                current == null ? null : current.suspended(suspended, at, sequence);
            case OrganizationReactivatedEvent reactivated -> current == null ? null : current.reactivated(sequence);
        });
    }

    void write(PollRows<OrganizationRow> rows) {
        store.upsertOrganizations(rows.changed());
    }
}
