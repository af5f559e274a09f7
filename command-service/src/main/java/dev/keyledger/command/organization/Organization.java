package dev.keyledger.command.organization;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.contracts.organization.ChangeOrganizationPlanCommand;
import dev.keyledger.contracts.organization.CreateOrganizationCommand;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import dev.keyledger.contracts.organization.ReactivateOrganizationCommand;
import dev.keyledger.contracts.organization.SuspendOrganizationCommand;
import dev.keyledger.contracts.value.DisplayName;
import dev.keyledger.contracts.value.Reason;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An organization on a plan. Enterprise organizations carry their own limits, each from 1 to a
 * bound that keeps the edge's window counters and every bigint column far from overflow; other plans
 * use the plan's limits. A suspended organization keeps its keys, but the edge refuses all of them
 * until it is reactivated (decision 0012); suspending twice or reactivating an active organization
 * changes nothing.
 */
@Aggregate
class Organization {

    static final long MAX_REQUESTS_PER_MINUTE = 1_000_000_000L;
    static final long MAX_REQUESTS_PER_DAY = 1_000_000_000_000L;

    @AggregateIdentifier
    private String organizationId;

    private Plan plan;
    private RateLimits limits;
    private boolean suspended;

    Organization() {}

    @CommandHandler
    Organization(CreateOrganizationCommand command) {
        DisplayName name = DomainRuleViolation.parse("name", command.name(), DisplayName::parse);
        apply(new OrganizationCreatedEvent(
                command.organizationId(),
                name.value(),
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

    @CommandHandler
    void handle(SuspendOrganizationCommand command) {
        Reason reason = DomainRuleViolation.parse("reason", command.reason(), Reason::parse);
        if (!suspended) {
            apply(new OrganizationSuspendedEvent(organizationId, reason.value()));
        }
    }

    @CommandHandler
    void handle(ReactivateOrganizationCommand command) {
        if (suspended) {
            apply(new OrganizationReactivatedEvent(organizationId));
        }
    }

    private static RateLimits effectiveLimits(Plan plan, RateLimits limits) {
        if (plan == null) {
            throw new DomainRuleViolation("plan", "is required");
        }
        if (plan.hasCustomLimits() && limits == null) {
            throw new DomainRuleViolation("limits", "is required for the " + plan.wireName() + " plan");
        }
        if (!plan.hasCustomLimits() && limits != null) {
            throw new DomainRuleViolation("limits", "is only accepted for the enterprise plan");
        }
        if (limits != null) {
            checkLimit("limits.requests_per_minute", limits.requestsPerMinute(), MAX_REQUESTS_PER_MINUTE);
            checkLimit("limits.requests_per_day", limits.requestsPerDay(), MAX_REQUESTS_PER_DAY);
        }
        return plan.hasCustomLimits() ? limits : plan.defaultLimits();
    }

    /** A custom limit must be 1 to {@code max}; also used by the endpoints before a limit exists. */
    static long checkLimit(String field, long value, long max) {
        if (value < 1 || value > max) {
            throw new DomainRuleViolation(field, "must be an integer from 1 to " + max);
        }
        return value;
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

    @EventSourcingHandler
    void on(OrganizationSuspendedEvent event) {
        suspended = true;
    }

    @EventSourcingHandler
    void on(OrganizationReactivatedEvent event) {
        suspended = false;
    }
}
