package dev.keyledger.command.database;

import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.command.security.Caller;
import dev.keyledger.contracts.database.ChangeAllowedOriginsCommand;
import dev.keyledger.contracts.database.CreateDatabaseCommand;
import dev.keyledger.contracts.id.Ids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "databases")
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

    @Schema(description = "A new database")
    record CreateDatabase(
            @Schema(
                    description = "1 to 100 characters, no control or format characters",
                    example = "Main",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            @ArraySchema(
                    schema = @Schema(example = "https://app.example.com"),
                    maxItems = 100,
                    arraySchema =
                            @Schema(
                                    description =
                                            "Allowed browser origins of the database's public keys: at most 100, each scheme://host[:port] (http or https, no path, no trailing slash), or https://*. plus at least two labels for one label of wildcard; stored lowercase, default ports dropped, duplicates removed",
                                    requiredMode = Schema.RequiredMode.REQUIRED))
            List<String> allowedOrigins) {}

    @Schema(description = "The new allowed origins of a database (replace the old ones)")
    record ChangeAllowedOrigins(
            @ArraySchema(
                    schema = @Schema(example = "https://app.example.com"),
                    maxItems = 100,
                    arraySchema =
                            @Schema(
                                    description =
                                            "Allowed browser origins of the database's public keys: at most 100, each scheme://host[:port] (http or https, no path, no trailing slash), or https://*. plus at least two labels for one label of wildcard; stored lowercase, default ports dropped, duplicates removed",
                                    requiredMode = Schema.RequiredMode.REQUIRED))
            List<String> allowedOrigins) {}

    @Operation(
            operationId = "createDatabase",
            summary = "Create a database",
            description = "Role: `org_admin` of the organization, or `platform_admin`.")
    @ApiResponse(
            responseCode = "201",
            description = "The database; `Location` names it",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = DatabaseResponse.class)))
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

    @Operation(
            operationId = "changeAllowedOrigins",
            summary = "Replace a database's allowed origins",
            description = "Role: `org_admin` of the organization, or `platform_admin`. The edge applies the new"
                    + " origins to the database's public keys once it has read the change.")
    @ApiResponse(
            responseCode = "200",
            description = "The database with its new origins",
            content = @Content(schema = @Schema(implementation = DatabaseResponse.class)))
    @ApiResponse(responseCode = "409", ref = "Conflict")
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
