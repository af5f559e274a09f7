package dev.keyledger.query.audit;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.paging.CursorPage;
import dev.keyledger.query.paging.PageCursors;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key's history and the organization audit log. The audit log is paged as JSON (keyset cursors,
 * at most 1000 entries a page) and streamed whole as NDJSON ({@code Accept: application/x-ndjson}),
 * written while it is read from the database, so neither form holds the log in memory.
 */
@RestController
@Tag(name = "audit")
@RequestMapping("/api/v1/organizations/{organizationId}")
class AuditLogController {

    static final String NDJSON = "application/x-ndjson";

    private static final Set<String> SORTS = Set.of("occurred_at", "-occurred_at");

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogController.class);

    private final AuditReader reader;
    private final KeyStateReader states;
    private final OrganizationAccess access;
    private final JsonMapper json;
    private final ReadApiDatabase database;
    private final PageCursors cursors;

    AuditLogController(
            AuditReader reader,
            KeyStateReader states,
            OrganizationAccess access,
            JsonMapper json,
            ReadApiDatabase database,
            PageCursors cursors) {
        this.reader = reader;
        this.states = states;
        this.access = access;
        this.json = json;
        this.database = database;
        this.cursors = cursors;
    }

    @Operation(
            operationId = "getKeyHistory",
            summary = "The history of one key, oldest first, with the key's state after each event",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. Each entry is an"
                            + " audit entry plus `state`: the key's status, name, expiry and successor after that"
                            + " event.",
            tags = "api-keys")
    @GetMapping("/api-keys/{keyId}/history")
    Map<String, List<KeyHistoryEntry>> history(@PathVariable String organizationId, @PathVariable String keyId) {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        QueryParameters.pathId(keyId, Ids.KEY_PREFIX, "No such API key");
        if (!reader.keyExists(organizationId, keyId)) {
            throw ApiException.notFound("No such API key");
        }
        return Map.of("data", states.withStates(organizationId, keyId, reader.history(organizationId, keyId)));
    }

    /**
     * The organization's audit log in {@code sort} order ({@code occurred_at}, the default, or
     * {@code -occurred_at}) within [{@code from}, {@code to}). As JSON one page ({@code limit} 1 to
     * 1000, default 100) from {@code cursor} on, {@code {"data","next_cursor","prev_cursor"}}; as
     * NDJSON every entry of the range (after {@code cursor}, a {@code next_cursor}, if given),
     * streamed. See docs/query-service.md, "Paging".
     */
    @Operation(
            operationId = "getAuditLog",
            summary = "The organization's audit log: JSON pages, or every entry as NDJSON",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. With `Accept: application/json` (the default) one page of `limit`"
                            + " entries; with `Accept: application/x-ndjson` every entry of the range, one JSON object a"
                            + " line, streamed (no `limit`; a `cursor` must be a `next_cursor`).")
    @ApiResponse(
            responseCode = "200",
            description = "A page of entries, or the NDJSON stream",
            content = {
                @Content(
                        mediaType = "application/json",
                        schemaProperties = {
                            @SchemaProperty(
                                    name = "data",
                                    array = @ArraySchema(schema = @Schema(implementation = AuditEntry.class))),
                            @SchemaProperty(
                                    name = "next_cursor",
                                    schema =
                                            @Schema(
                                                    types = {"string", "null"},
                                                    description = "null on the last page")),
                            @SchemaProperty(
                                    name = "prev_cursor",
                                    schema =
                                            @Schema(
                                                    types = {"string", "null"},
                                                    description = "null on the first page"))
                        }),
                @Content(
                        mediaType = "application/x-ndjson",
                        schema = @Schema(implementation = AuditEntry.class, description = "One entry per line"))
            })
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @GetMapping("/audit-log")
    void auditLog(
            @PathVariable String organizationId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @Parameter(
                            description = "Order by `occurred_at`, default ascending; `-occurred_at` newest first",
                            schema = @Schema(allowableValues = {"occurred_at", "-occurred_at"}))
                    @RequestParam(required = false)
                    String sort,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        boolean descending = "-occurred_at".equals(QueryParameters.oneOf("sort", sort, SORTS));
        int size = PageCursors.limit(limit);
        // The cursor is valid only for the list it came from: this organization, sort and range.
        String scope = String.join(
                "\n",
                "audit-log",
                organizationId,
                descending ? "-occurred_at" : "occurred_at",
                start == null ? "" : start.toString(),
                end == null ? "" : end.toString());
        PageCursors.Position position = cursors.decode(scope, cursor, 3);
        boolean ndjson = accept != null && accept.contains(NDJSON);
        if (!ndjson && !acceptsJson(accept)) {
            throw new HttpMediaTypeNotAcceptableException(
                    List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType(NDJSON)));
        }
        if (!ndjson) {
            CursorPage<AuditEntry> page = cursors.page(
                    scope,
                    position,
                    size,
                    at -> reader.page(organizationId, start, end, descending, at, size),
                    AuditReader::position);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            json.writeValue(response.getOutputStream(), page);
            return;
        }
        if (limit != null && !limit.isEmpty()) {
            throw ApiException.badRequest("limit", "applies to the JSON pages; the NDJSON stream has every entry");
        }
        if (position != null && position.before()) {
            throw ApiException.badRequest("cursor", "a stream starts after a next_cursor, not before a prev_cursor");
        }
        // A stream holds a read-API connection for as long as its client reads: bounded in number.
        ReadApiDatabase.StreamPermit permit = database.tryOpenStream().orElseThrow(() -> {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            return ApiException.unavailable("Too many audit log streams are open; try again shortly");
        });
        try (permit) {
            write(organizationId, start, end, descending, position, response);
        } catch (UncheckedIOException clientGone) {
            // The client went away mid-stream: nobody is left to answer.
            LOG.debug(
                    "Audit log stream ended by the client: {}",
                    clientGone.getCause().toString());
        }
        // A database error mid-stream (the statement or idle-in-transaction timeout of a client
        // that stopped reading) propagates: the connection is then closed without the final chunk,
        // so the client can tell the log is incomplete.
    }

    private void write(
            String organizationId,
            Instant start,
            Instant end,
            boolean descending,
            PageCursors.Position after,
            HttpServletResponse response)
            throws IOException {
        response.setContentType(NDJSON);
        response.setCharacterEncoding("UTF-8");
        OutputStream out = new BufferedOutputStream(response.getOutputStream(), 16 * 1024);
        reader.stream(organizationId, start, end, descending, after, entry -> {
            try {
                out.write(json.writeValueAsBytes(entry));
                out.write('\n');
            } catch (IOException e) {
                // The client went away: stop reading rows.
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    /** No {@code Accept}, or one that JSON satisfies; a malformed header is a 400 (InvalidMediaTypeException). */
    private static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        return MediaType.parseMediaTypes(accept).stream()
                .anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
    }
}
