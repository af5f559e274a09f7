package dev.keyledger.command.organization;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.keyledger.contracts.organization.ChangeOrganizationPlanCommand;
import dev.keyledger.contracts.organization.CreateOrganizationCommand;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** An organization on a plan. Enterprise organizations carry their own limits; others use the plan's. */
@Aggregate
class Organization {

    @AggregateIdentifier
    private String organizationId;

    private Plan plan;
    private RateLimits limits;

    Organization() {}

    @CommandHandler
    Organization(CreateOrganizationCommand command) {
        if (command.name() == null || command.name().isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        apply(new OrganizationCreatedEvent(
                command.organizationId(),
                command.name(),
                command.plan(),
                effectiveLimits(command.plan(), command.limits())));
    }

    @CommandHandler
    void handle(ChangeOrganizationPlanCommand command) {
        RateLimits newLimits = effectiveLimits(command.plan(), command.limits());
        if (command.plan() == plan && Objects.equals(newLimits, limits)) {
            return;
        }
        apply(new OrganizationPlanChangedEvent(organizationId, command.plan(), newLimits));
    }

    private static RateLimits effectiveLimits(Plan plan, RateLimits limits) {
        if (plan == null) {
            throw new IllegalArgumentException("plan is required");
        }
        if (plan.hasCustomLimits() && limits == null) {
            throw new IllegalArgumentException("limits are required for the " + plan.wireName() + " plan");
        }
        if (!plan.hasCustomLimits() && limits != null) {
            throw new IllegalArgumentException("limits are only accepted for the enterprise plan");
        }
        return plan.hasCustomLimits() ? limits : plan.defaultLimits();
    }

    @EventSourcingHandler
    void on(OrganizationCreatedEvent event) {
        organizationId = event.organizationId();
        plan = event.plan();
        limits = event.limits();
    }

    @EventSourcingHandler
    void on(OrganizationPlanChangedEvent event) {
        plan = event.plan();
        limits = event.limits();
    }
}
