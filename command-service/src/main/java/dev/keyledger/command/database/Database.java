package dev.keyledger.command.database;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.ChangeAllowedOriginsCommand;
import dev.keyledger.contracts.database.CreateDatabaseCommand;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.database.DeleteDatabaseCommand;
import dev.keyledger.contracts.value.DisplayName;
import java.util.List;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A database connection of one organization, with the browser origins its public keys accept. The
 * name is a {@link DisplayName}; the origins follow {@link AllowedOrigins} and are stored in
 * canonical form. A deleted database is unknown to every later command (404), so it can be deleted
 * only once; its events stay.
 */
@Aggregate
class Database {

    @AggregateIdentifier
    private String databaseId;

    private String organizationId;
    private List<String> allowedOrigins;
    private boolean deleted;

    Database() {}

    @CommandHandler
    Database(CreateDatabaseCommand command) {
        if (command.organizationId() == null) {
            throw new IllegalArgumentException("organization is required");
        }
        DisplayName name = DomainRuleViolation.parse("name", command.name(), DisplayName::parse);
        apply(new DatabaseCreatedEvent(
                command.databaseId(),
                command.organizationId(),
                name.value(),
                AllowedOrigins.validate(command.allowedOrigins())));
    }

    @CommandHandler
    void handle(ChangeAllowedOriginsCommand command) {
        requireOwner(command.organizationId());
        List<String> origins = AllowedOrigins.validate(command.allowedOrigins());
        if (origins.equals(allowedOrigins)) {
            return;
        }
        apply(new AllowedOriginsChangedEvent(databaseId, organizationId, origins));
    }

    @CommandHandler
    void handle(DeleteDatabaseCommand command) {
        requireOwner(command.organizationId());
        apply(new DatabaseDeletedEvent(databaseId, organizationId));
    }

    private void requireOwner(String organizationId) {
        if (deleted || !this.organizationId.equals(organizationId)) {
            throw new UnknownAggregate("unknown database");
        }
    }

    @EventSourcingHandler
    void on(DatabaseCreatedEvent event) {
        databaseId = event.databaseId();
        organizationId = event.organizationId();
        allowedOrigins = List.copyOf(event.allowedOrigins());
    }

    @EventSourcingHandler
    void on(AllowedOriginsChangedEvent event) {
        allowedOrigins = List.copyOf(event.allowedOrigins());
    }

    @EventSourcingHandler
    void on(DatabaseDeletedEvent event) {
        deleted = true;
    }
}
