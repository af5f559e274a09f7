package dev.keyledger.command.database;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.ChangeAllowedOriginsCommand;
import dev.keyledger.contracts.database.CreateDatabaseCommand;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.database.DeleteDatabaseCommand;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    private static final String ID = "db_01JTESTDATABASE00000000000";
    private static final String ORG = "org_01JTESTORGANIZATION0000000";
    private static final String OTHER_ORG = "org_01JOTHERORGANIZATION000000";

    private AggregateTestFixture<Database> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Database.class);
    }

    @Test
    void canCreateDatabaseWithAllowedOrigins() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(
                        ID, ORG, "Main", List.of("https://app.example.com", "https://*.example.com")))
                .expectEvents(new DatabaseCreatedEvent(
                        ID, ORG, "Main", List.of("https://app.example.com", "https://*.example.com")));
    }

    @Test
    void createDropsDuplicateOrigins() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(
                        ID, ORG, "Main", List.of("http://localhost:3000", "http://localhost:3000")))
                .expectEvents(new DatabaseCreatedEvent(ID, ORG, "Main", List.of("http://localhost:3000")));
    }

    @Test
    void createStoresCanonicalOriginsAndATrimmedName() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(ID, ORG, " Main ", List.of("HTTPS://App.Example.com:443")))
                .expectEvents(new DatabaseCreatedEvent(ID, ORG, "Main", List.of("https://app.example.com")));
    }

    @Test
    void cannotCreateDatabaseWithAForbiddenName() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(ID, ORG, "Main\nDrop", List.of()))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void cannotCreateDatabaseWithAnInvalidOrigin() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(ID, ORG, "Main", List.of("https://example.com/path")))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void cannotCreateDatabaseWithoutName() {
        fixture.givenNoPriorActivity()
                .when(new CreateDatabaseCommand(ID, ORG, "", List.of()))
                .expectException(IllegalArgumentException.class);
    }

    @Test
    void canChangeAllowedOrigins() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()))
                .when(new ChangeAllowedOriginsCommand(ID, ORG, List.of("https://shop.example.com")))
                .expectEvents(new AllowedOriginsChangedEvent(ID, ORG, List.of("https://shop.example.com")));
    }

    @Test
    void cannotChangeAllowedOriginsOfAnotherOrganizationsDatabase() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()))
                .when(new ChangeAllowedOriginsCommand(ID, OTHER_ORG, List.of("https://shop.example.com")))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
    }

    @Test
    void cannotChangeToInvalidOrigins() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()))
                .when(new ChangeAllowedOriginsCommand(ID, ORG, List.of("https://*.com")))
                .expectException(DomainRuleViolation.class)
                .expectNoEvents();
    }

    @Test
    void changingToTheSameOriginsChangesNothing() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of("https://a.example.com")))
                .when(new ChangeAllowedOriginsCommand(ID, ORG, List.of("https://a.example.com")))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void canDeleteADatabaseOnceAndThenItIsUnknown() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()))
                .when(new DeleteDatabaseCommand(ID, ORG))
                .expectEvents(new DatabaseDeletedEvent(ID, ORG));
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()), new DatabaseDeletedEvent(ID, ORG))
                .when(new DeleteDatabaseCommand(ID, ORG))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()), new DatabaseDeletedEvent(ID, ORG))
                .when(new ChangeAllowedOriginsCommand(ID, ORG, List.of("https://a.example.com")))
                .expectException(UnknownAggregate.class);
    }

    @Test
    void cannotDeleteAnotherOrganizationsDatabase() {
        fixture.given(new DatabaseCreatedEvent(ID, ORG, "Main", List.of()))
                .when(new DeleteDatabaseCommand(ID, OTHER_ORG))
                .expectException(UnknownAggregate.class)
                .expectNoEvents();
    }
}
