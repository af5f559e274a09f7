package dev.keyledger.command.database;

import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.command.security.Caller;
import dev.keyledger.contracts.database.ChangeAllowedOriginsCommand;
import dev.keyledger.contracts.database.CreateDatabaseCommand;
import dev.keyledger.contracts.id.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Databases of an organization, for its org_admins. */
@RestController
@RequestMapping(path = "/api/v1/organizations/{organizationId}/databases", produces = MediaType.APPLICATION_JSON_VALUE)
class DatabaseController {

    private final CommandDispatcher dispatcher;
    private final OrganizationDirectory organizations;
    private final DatabaseDirectory databases;

    DatabaseController(CommandDispatcher dispatcher, OrganizationDirectory organizations, DatabaseDirectory databases) {
        this.dispatcher = dispatcher;
        this.organizations = organizations;
        this.databases = databases;
    }

    record CreateDatabase(String name, List<String> allowedOrigins) {}

    record ChangeAllowedOrigins(List<String> allowedOrigins) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatabaseResponse> create(
            @PathVariable String organizationId,
            @RequestBody CreateDatabase body,
            Caller caller,
            HttpServletRequest request) {
        caller.requireOrgAdmin(organizationId);
        if (!Ids.isValid(organizationId, Ids.ORGANIZATION_PREFIX) || !organizations.exists(organizationId)) {
            throw new UnknownAggregate("unknown organization");
        }
        String id = Ids.newDatabaseId();
        dispatcher.send(
                new CreateDatabaseCommand(id, organizationId, body.name(), body.allowedOrigins()),
                dispatcher.actor(request, caller.subject()));
        return ResponseEntity.created(URI.create("/api/v1/organizations/" + organizationId + "/databases/" + id))
                .body(databases.find(id).orElseThrow());
    }

    @PutMapping(path = "/{databaseId}/allowed-origins", consumes = MediaType.APPLICATION_JSON_VALUE)
    DatabaseResponse changeAllowedOrigins(
            @PathVariable String organizationId,
            @PathVariable String databaseId,
            @RequestBody ChangeAllowedOrigins body,
            Caller caller,
            HttpServletRequest request) {
        caller.requireOrgAdmin(organizationId);
        if (!Ids.isValid(databaseId, Ids.DATABASE_PREFIX)) {
            throw new UnknownAggregate("unknown database");
        }
        dispatcher.send(
                new ChangeAllowedOriginsCommand(databaseId, organizationId, body.allowedOrigins()),
                dispatcher.actor(request, caller.subject()));
        return databases.find(databaseId).orElseThrow(() -> new UnknownAggregate("unknown database"));
    }
}
