package dev.keyledger.command.organization;

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
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrganizationTest {

    private static final String ID = "org_01JTESTORGANIZATION0000000";
    private static final RateLimits CUSTOM = new RateLimits(5_000, 5_000_000);

    private AggregateTestFixture<Organization> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Organization.class);
    }

    @Test
    void canCreateOrganizationWithThePlanDefaultLimits() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", Plan.PRO, null))
                .expectEvents(new OrganizationCreatedEvent(ID, "Acme", Plan.PRO, Plan.PRO.defaultLimits()));
    }

    @Test
    void canCreateEnterpriseOrganizationWithCustomLimits() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", Plan.ENTERPRISE, CUSTOM))
                .expectEvents(new OrganizationCreatedEvent(ID, "Acme", Plan.ENTERPRISE, CUSTOM));
    }

    @Test
    void cannotCreateEnterpriseOrganizationWithoutLimits() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", Plan.ENTERPRISE, null))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void cannotCreateOrganizationWithCustomLimitsOnAStandardPlan() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", Plan.FREE, CUSTOM))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void cannotCreateOrganizationWithoutNameOrPlan() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, " ", Plan.FREE, null))
                .expectException(IllegalArgumentException.class);
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", null, null))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void cannotCreateEnterpriseOrganizationWithLimitsBeyondTheBounds() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(
                        ID, "Acme", Plan.ENTERPRISE, new RateLimits(Organization.MAX_REQUESTS_PER_MINUTE + 1, 10)))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(
                        ID, "Acme", Plan.ENTERPRISE, new RateLimits(10, Organization.MAX_REQUESTS_PER_DAY + 1)))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void acceptsEnterpriseLimitsAtTheBounds() {
        RateLimits max = new RateLimits(Organization.MAX_REQUESTS_PER_MINUTE, Organization.MAX_REQUESTS_PER_DAY);
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Acme", Plan.ENTERPRISE, max))
                .expectEvents(new OrganizationCreatedEvent(ID, "Acme", Plan.ENTERPRISE, max));
    }

    @Test
    void creatingTrimsTheNameAndRefusesForbiddenOnes() {
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, " Acme ", Plan.PRO, null))
                .expectEvents(new OrganizationCreatedEvent(ID, "Acme", Plan.PRO, Plan.PRO.defaultLimits()));
        fixture.givenNoPriorActivity()
                .when(new CreateOrganizationCommand(ID, "Ac\u202Eme", Plan.PRO, null))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void canChangePlan() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new ChangeOrganizationPlanCommand(ID, Plan.STARTER, null))
                .expectEvents(new OrganizationPlanChangedEvent(ID, Plan.STARTER, Plan.STARTER.defaultLimits()));
    }

    @Test
    void canChangeToEnterpriseWithLimits() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new ChangeOrganizationPlanCommand(ID, Plan.ENTERPRISE, CUSTOM))
                .expectEvents(new OrganizationPlanChangedEvent(ID, Plan.ENTERPRISE, CUSTOM));
    }

    @Test
    void cannotChangeToEnterpriseWithoutLimits() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new ChangeOrganizationPlanCommand(ID, Plan.ENTERPRISE, null))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void cannotChangeToStandardPlanWithLimits() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new ChangeOrganizationPlanCommand(ID, Plan.PRO, CUSTOM))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void changingToTheCurrentPlanChangesNothing() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.PRO, Plan.PRO.defaultLimits()))
                .when(new ChangeOrganizationPlanCommand(ID, Plan.PRO, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void canSuspendAnActiveOrganizationWithATrimmedReason() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new SuspendOrganizationCommand(ID, "  unpaid  "))
                .expectEvents(new OrganizationSuspendedEvent(ID, "unpaid"));
    }

    @Test
    void suspendingASuspendedOrganizationChangesNothing() {
        fixture.given(
                        new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()),
                        new OrganizationSuspendedEvent(ID, "unpaid"))
                .when(new SuspendOrganizationCommand(ID, "again"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void cannotSuspendWithoutAReason() {
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new SuspendOrganizationCommand(ID, " "))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void canReactivateASuspendedOrganizationAndReactivatingAnActiveOneChangesNothing() {
        fixture.given(
                        new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()),
                        new OrganizationSuspendedEvent(ID, "unpaid"))
                .when(new ReactivateOrganizationCommand(ID))
                .expectEvents(new OrganizationReactivatedEvent(ID));
        fixture.given(new OrganizationCreatedEvent(ID, "Acme", Plan.FREE, Plan.FREE.defaultLimits()))
                .when(new ReactivateOrganizationCommand(ID))
                .expectNoEvents();
    }
}
