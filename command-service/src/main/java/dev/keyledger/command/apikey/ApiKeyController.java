package dev.keyledger.command.apikey;

import dev.keyledger.command.database.DatabaseDirectory;
import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.command.domain.UnknownAggregate;
import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.command.relay.RelayPublication;
import dev.keyledger.command.security.Caller;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.apikey.IssueApiKeyCommand;
import dev.keyledger.contracts.apikey.RenameApiKeyCommand;
import dev.keyledger.contracts.apikey.RevokeApiKeyCommand;
import dev.keyledger.contracts.apikey.RollApiKeyCommand;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.value.UtcInstant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Issue, rename, roll and revoke keys, for the org_admins of the key's organization. */
@RestController
@Tag(name = "api-keys")
@RequestMapping(path = "/api/v1/organizations/{organizationId}", produces = MediaType.APPLICATION_JSON_VALUE)
class ApiKeyController {

    private final CommandDispatcher dispatcher;
    private final OrganizationDirectory organizations;
    private final DatabaseDirectory databases;
    private final ApiKeyDirectory keys;
    private final RelayPublication publication;

    ApiKeyController(
            CommandDispatcher dispatcher,
            OrganizationDirectory organizations,
            DatabaseDirectory databases,
            ApiKeyDirectory keys,
            RelayPublication publication) {
        this.dispatcher = dispatcher;
        this.organizations = organizations;
        this.databases = databases;
        this.keys = keys;
        this.publication = publication;
    }

    /** {@code expires_at} is read as text so that its strict grammar ({@link UtcInstant}) applies. */
    @Schema(description = "A new API key")
    record CreateKey(
            @Schema(
                    description = "1 to 100 characters, no control or format characters",
                    example = "CI",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String name,

            @Schema(
                    types = {"string", "null"},
                    format = "date-time",
                    description = "YYYY-MM-DDThh:mm:ss[.f]Z (UTC, `Z` only), after now and at most 10 years"
                            + " ahead; absent or null: the key does not expire",
                    example = "2027-01-01T00:00:00Z")
            String expiresAt) {}

    @Schema(description = "The new name of a key")
    record RenameKey(
            @Schema(
                    description = "1 to 100 characters, no control or format characters",
                    example = "CI",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            String name) {}

    @Schema(description = "How long the old key keeps working")
    record RollKey(
            @Schema(
                    description = "Seconds the old key stays valid after the roll; 0 expires it at once",
                    minimum = "0",
                    maximum = "604800",
                    example = "3600",
                    requiredMode = Schema.RequiredMode.REQUIRED)
            Long gracePeriodSeconds) {}

    @Operation(
            operationId = "createSecretKey",
            summary = "Issue a secret key (sk_) of the organization",
            description =
                    "Role: `org_admin` of the organization, or `platform_admin`. The answer is the only time the plaintext `key` is shown.")
    @ApiResponse(
            responseCode = "201",
            description = "The new key with its plaintext `key`; `Location` names it",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = ApiKeyResponse.class)))
    @PostMapping(path = "/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiKeyResponse> createSecretKey(
            @PathVariable String organizationId,
            @RequestBody CreateKey body,
            Caller caller,
            HttpServletRequest request) {
        caller.requireOrgAdmin(organizationId);
        Instant expiresAt = expiresAt(body.expiresAt());
        if (!organizations.exists(organizationId)) {
            throw new UnknownAggregate("unknown organization");
        }
        return issue(organizationId, null, ApiKeyType.SECRET, body.name(), expiresAt, caller, request);
    }

    @Operation(
            operationId = "createPublicKey",
            summary = "Issue a public key (pk_) of a database",
            description =
                    "Role: `org_admin` of the organization, or `platform_admin`. A public key is accepted at the edge only from the database's allowed"
                            + " origins.")
    @ApiResponse(
            responseCode = "201",
            description = "The new key with its plaintext `key`; `Location` names it",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = ApiKeyResponse.class)))
    @PostMapping(path = "/databases/{databaseId}/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiKeyResponse> createPublicKey(
            @PathVariable String organizationId,
            @PathVariable String databaseId,
            @RequestBody CreateKey body,
            Caller caller,
            HttpServletRequest request) {
        caller.requireOrgAdmin(organizationId);
        Instant expiresAt = expiresAt(body.expiresAt());
        if (!databases.belongsTo(databaseId, organizationId)) {
            throw new UnknownAggregate("unknown database");
        }
        return issue(organizationId, databaseId, ApiKeyType.PUBLIC, body.name(), expiresAt, caller, request);
    }

    @Operation(
            operationId = "renameKey",
            summary = "Rename a key",
            description =
                    "Role: `org_admin` of the organization, or `platform_admin`. A revoked or expired key cannot be renamed (409).")
    @ApiResponse(
            responseCode = "200",
            description = "The key, without plaintext",
            content = @Content(schema = @Schema(implementation = ApiKeyResponse.class)))
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @PatchMapping(path = "/api-keys/{keyId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ApiKeyResponse rename(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            @RequestBody RenameKey body,
            Caller caller,
            HttpServletRequest request) {
        caller.requireOrgAdmin(organizationId);
        requireKeyId(keyId);
        dispatcher.send(
                new RenameApiKeyCommand(keyId, organizationId, body.name()),
                dispatcher.actor(request, caller.subject()));
        return keys.find(keyId).orElseThrow(() -> new UnknownAggregate("unknown key"));
    }

    @Operation(
            operationId = "rollKey",
            summary = "Roll a key: issue its successor, expire it after a grace period",
            description =
                    "Role: `org_admin` of the organization, or `platform_admin`. The successor has the same type, name and database and the old key's"
                            + " expiry. A rolled, revoked or expired key cannot be rolled again (409). With"
                            + " `grace_period_seconds: 0` the old key ends at once, and the answer waits until that is"
                            + " published to the edges' event stream (`X-Keyledger-Relay: published`), at most"
                            + " `keyledger.relay.publish-wait` (then `pending`).")
    @ApiResponse(
            responseCode = "201",
            description = "The successor with its plaintext `key` and `replaces`; `Location` names it",
            headers = {
                @Header(name = "Location", schema = @Schema(type = "string")),
                @Header(
                        name = RelayPublication.HEADER,
                        description = RelayPublication.HEADER_DESCRIPTION,
                        schema =
                                @Schema(
                                        type = "string",
                                        allowableValues = {"published", "pending"}))
            },
            content = @Content(schema = @Schema(implementation = ApiKeyResponse.class)))
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @PostMapping(path = "/api-keys/{keyId}/roll", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ApiKeyResponse> roll(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            @RequestBody RollKey body,
            Caller caller,
            HttpServletRequest request,
            HttpServletResponse response) {
        caller.requireOrgAdmin(organizationId);
        Long grace = body.gracePeriodSeconds();
        if (grace == null) {
            throw new DomainRuleViolation("grace_period_seconds", "is required");
        }
        requireKeyId(keyId);
        requireNotSuspended(organizationId);
        RollApiKeyHandler.RolledKey rolled = dispatcher.send(
                new RollApiKeyCommand(keyId, organizationId, Ids.newKeyId(), grace),
                dispatcher.actor(request, caller.subject()));
        String successorId = rolled.successor().keyId();
        if (grace == 0) {
            publication.awaitPublished(List.of(keyId, successorId), response);
        }
        return ResponseEntity.created(location(organizationId, successorId))
                .body(keys.issued(successorId)
                        .orElseThrow()
                        .withKey(rolled.key().plaintext()));
    }

    @Operation(
            operationId = "revokeKey",
            summary = "Revoke a key",
            description =
                    "Role: `org_admin` of the organization, or `platform_admin`. Idempotent: revoking a revoked or expired key is 204 again and"
                            + " changes nothing. Answers once the revocation is published to the edges' event stream"
                            + " (`X-Keyledger-Relay: published`), or, past `keyledger.relay.publish-wait`, stored only"
                            + " (`pending`, published later). The edge refuses the key once it has read the"
                            + " revocation.")
    @ApiResponse(
            responseCode = "204",
            description = "Revoked (or already revoked or expired)",
            headers =
                    @Header(
                            name = RelayPublication.HEADER,
                            description = RelayPublication.HEADER_DESCRIPTION,
                            schema =
                                    @Schema(
                                            type = "string",
                                            allowableValues = {"published", "pending"})))
    @ApiResponse(responseCode = "409", ref = "Conflict")
    @DeleteMapping("/api-keys/{keyId}")
    ResponseEntity<Void> revoke(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            Caller caller,
            HttpServletRequest request,
            HttpServletResponse response) {
        caller.requireOrgAdmin(organizationId);
        requireKeyId(keyId);
        dispatcher.send(new RevokeApiKeyCommand(keyId, organizationId), dispatcher.actor(request, caller.subject()));
        publication.awaitPublished(List.of(keyId), response);
        return ResponseEntity.noContent().build();
    }

    private ResponseEntity<ApiKeyResponse> issue(
            String organizationId,
            String databaseId,
            ApiKeyType type,
            String name,
            Instant expiresAt,
            Caller caller,
            HttpServletRequest request) {
        requireNotSuspended(organizationId);
        GeneratedApiKey key = ApiKeyFormat.generate(type);
        String keyId = Ids.newKeyId();
        dispatcher.send(
                new IssueApiKeyCommand(
                        keyId,
                        organizationId,
                        databaseId,
                        type,
                        name,
                        key.hash(),
                        key.lastFour(),
                        type == ApiKeyType.PUBLIC ? key.plaintext() : null,
                        expiresAt,
                        null),
                dispatcher.actor(request, caller.subject()));
        return ResponseEntity.created(location(organizationId, keyId))
                .body(keys.issued(keyId).orElseThrow().withKey(key.plaintext()));
    }

    /** The syntax of {@code expires_at}; its bounds are the aggregate's rule. */
    private static Instant expiresAt(String raw) {
        return raw == null ? null : DomainRuleViolation.parse("expires_at", raw, UtcInstant::parse);
    }

    /** A suspended organization gets no new keys (decision 0012): 409 until it is reactivated. */
    private void requireNotSuspended(String organizationId) {
        if (organizations.isSuspended(organizationId)) {
            throw new IllegalStateException("The organization is suspended");
        }
    }

    private static void requireKeyId(String keyId) {
        if (!Ids.isValid(keyId, Ids.KEY_PREFIX)) {
            throw new UnknownAggregate("unknown key");
        }
    }

    private static URI location(String organizationId, String keyId) {
        return URI.create("/api/v1/organizations/" + organizationId + "/api-keys/" + keyId);
    }
}
