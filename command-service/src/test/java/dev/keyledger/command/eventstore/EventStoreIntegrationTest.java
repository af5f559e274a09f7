package dev.keyledger.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.testsupport.TestInfrastructure;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(properties = "spring.config.name=" + CommandServiceApplication.CONFIG_NAME)
class EventStoreIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "command_eventstore");
        registry.add("management.server.port", () -> "0");
        TestJwts.register(registry);
    }

    @Autowired
    EventStore eventStore;

    @Autowired
    JdbcClient jdbc;

    @Test
    void storesEventsAsByteaInTheFlywaySchemaAndReadsThemBack() {
        String organizationId = "org_eventstoretest";
        OrganizationCreatedEvent created =
                new OrganizationCreatedEvent(organizationId, "Acme", Plan.PRO, Plan.PRO.defaultLimits());
        eventStore.publish(new GenericDomainEventMessage<>("Organization", organizationId, 0, created));

        List<? extends DomainEventMessage<?>> events =
                eventStore.readEvents(organizationId).asStream().toList();

        assertThat(events)
                .singleElement()
                .satisfies(event -> assertThat(event.getPayload()).isEqualTo(created));
        assertThat(jdbc.sql("SELECT data_type FROM information_schema.columns "
                                + "WHERE table_name = 'domainevententry' AND column_name = 'payload'")
                        .query(String.class)
                        .single())
                .isEqualTo("bytea");
        assertThat(jdbc.sql("SELECT payloadrevision FROM domainevententry WHERE aggregateidentifier = ?")
                        .param(organizationId)
                        .query(String.class)
                        .single())
                .isEqualTo("1");
    }
}
