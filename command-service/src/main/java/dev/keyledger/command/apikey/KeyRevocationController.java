package dev.keyledger.command.apikey;

import dev.keyledger.command.database.DatabaseDirectory;
import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.command.relay.RelayPublication;
import dev.keyledger.command.security.Caller;
import dev.keyledger.contracts.database.DeleteDatabaseCommand;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.value.Reason;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Incident response on keys (decision 0012): the emergency revoke-all of an organization or of one
 * database, and the deletion of a database, which revokes its public keys first. Both belong to
 * this package because they revoke keys; the database aggregate only records its deletion.
 */
@RestController
@RequestMapping(path = "/api/v1/organizations/{organizationId}", produces = MediaType.APPLICATION_JSON_VALUE)
class KeyRevocationController {

    /** The reason recorded on each public key a database deletion revokes. */
    static final String DATABASE_DELETED_REASON = "database deleted";

    private final KeyRevocations revocations;
    private final CommandDispatcher dispatcher;
    private final OrganizationDirectory organizations;
    private final DatabaseDirectory databases;
    private final RelayPublication publication;

    KeyRevocationController(
            KeyRevocations revocations,
            CommandDispatcher dispatcher,
            OrganizationDirectory organizations,
            DatabaseDirectory databases,
            RelayPublication publication) {
        this.revocations = revocations;
        this.dispatcher = dispatcher;
        this.organizations = organizations;
        this.databases = databases;
        this.publication = publication;
    }

    @Schema(description = "What to revoke, and why")
    record RevokeAll(
            @Schema(
                    description = "1 to 500 characters, no control or format characters; recorded on every"
                            + " revocation and shown in each key's history",
                    example = "Keys leaked in a public repository",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String reason,

            @Schema(
                    types = {"string", "null"},
                    description = "Only the public keys of this database of the organization; absent or null:"
                            + " every key of the organization",
                    example = "db_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8")
            String databaseId) {}

    @Schema(name = "RevokeAllResult", description = "How many keys the call revoked")
    record RevokeAllResult(
            @Schema(
                    description = "Keys revoked by this call (keys already revoked or expired are not counted)",
                    example = "42",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            int revoked) {}

    @Operation(
            operationId = "revokeAllKeys",
            summary = "Revoke every usable key of the organization, or of one database",
            description = "Role: `org_admin` of the organization, or `platform_admin`. Revokes every key that is"
                    + " active or rolled within its grace period when the call starts, one `api_key.revoked` event"
                    + " per key with the caller and the reason, and answers once every revocation is stored and"
                    + " published to the edges' event stream (`X-Keyledger-Relay: published`), or, past"
                    + " `keyledger.relay.publish-wait`, stored only (`X-Keyledger-Relay: pending`); the edge refuses"
                    + " the keys once it has read them. Calling it again revokes nothing more (`revoked: 0`).")
    @Tag(name = "api-keys")
    @ApiResponse(
            responseCode = "200",
            description = "Every revocation is stored",
            headers =
                    @Header(
                            name = RelayPublication.HEADER,
                            description = RelayPublication.HEADER_DESCRIPTION,
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"published", "pending"})),
            content = @Content(schema = @Schema(implementation = RevokeAllResult.class)))
    @PostMapping(path = "/api-keys/revoke-all", consumes = MediaType.APPLICATION_JSON_VALUE)
    RevokeAllResult revokeAll(
            @PathVariable String organizationId,
            @RequestBody RevokeAll body,
            Caller caller,
            HttpServletRequest request,
            HttpServletResponse response) {
        caller.requireOrgAdmin(organizationId);
        Reason reason = DomainRuleViolation.parse("reason", body.reason(), Reason::parse);
        String databaseId = body.databaseId();
        if (databaseId != null && !Ids.isValid(databaseId, Ids.DATABASE_PREFIX)) {
            throw new DomainRuleViolation("database_id", "must be a database id (db_...)");
        }
        if (!Ids.isValid(organizationId, Ids.ORGANIZATION_PREFIX) || !organizations.exists(organizationId)) {
            throw new UnknownAggregate("unknown organization");
        }
        if (databaseId != null && !databases.belongsTo(databaseId, organizationId)) {
            throw new UnknownAggregate("unknown database");
        }
        Actor actor = dispatcher.actor(request, caller.subject());
        KeyRevocations.Revoked revoked = revocations.revokeAll(organizationId, databaseId, reason.value(), actor);
        publication.awaitPublished(revoked.keyIds(), response);
        return new RevokeAllResult(revoked.count());
    }

    @Operation(
            operationId = "deleteDatabase",
            summary = "Delete a database",
            description = "Role: `org_admin` of the organization, or `platform_admin`. Revokes the database's"
                    + " public keys first (reason `database deleted`), then deletes it: it takes no new keys, every"
                    + " call naming it answers 404, it leaves the read API's lists, and the edge refuses a secret key"
                    + " naming it as for an unknown database. Its history stays in the audit log. Answers once the"
                    + " revocations and the deletion are published to the edges' event stream"
                    + " (`X-Keyledger-Relay: published`), or, past `keyledger.relay.publish-wait`, stored only"
                    + " (`pending`).")
    @Tag(name = "databases")
    @ApiResponse(
            responseCode = "204",
            description = "Its public keys are revoked and it is deleted",
            headers =
                    @Header(
                            name = RelayPublication.HEADER,
                            description = RelayPublication.HEADER_DESCRIPTION,
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"published", "pending"})))
    @DeleteMapping("/databases/{databaseId}")
    ResponseEntity<Void> deleteDatabase(
            @PathVariable String organizationId,
            @PathVariable String databaseId,
            Caller caller,
            HttpServletRequest request,
            HttpServletResponse response) {
        caller.requireOrgAdmin(organizationId);
        if (!Ids.isValid(databaseId, Ids.DATABASE_PREFIX) || !databases.belongsTo(databaseId, organizationId)) {
            throw new UnknownAggregate("unknown database");
        }
        Actor actor = dispatcher.actor(request, caller.subject());
        List<String> touched = new ArrayList<>(revocations
                .revokeAll(organizationId, databaseId, DATABASE_DELETED_REASON, actor)
                .keyIds());
        dispatcher.send(new DeleteDatabaseCommand(databaseId, organizationId), actor);
        // A key issued between the revocations and the deletion would otherwise stay active in the
        // directory (the edge refuses it anyway, since its database is gone).
        touched.addAll(revocations
                .revokeAll(organizationId, databaseId, DATABASE_DELETED_REASON, actor)
                .keyIds());
        touched.add(databaseId);
        publication.awaitPublished(touched, response);
        return ResponseEntity.noContent().build();
    }
}
