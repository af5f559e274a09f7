package dev.keyledger.query.securitylog;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.paging.CursorPage;
import dev.keyledger.query.paging.PageCursors;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/security-log} for platform admins: the refused calls of both APIs within
 * [{@code from}, {@code to}), optionally of one organization, newest first by default, in keyset
 * pages like the audit log ({@code limit}, {@code cursor}, {@code sort}). A refusal of this call is
 * itself recorded like any other: recording is the service kit's filter, outside this controller,
 * and publishes asynchronously, so it never calls back into here.
 */
@RestController
@Tag(name = "admin")
class SecurityLogController {

    private static final Set<String> SORTS = Set.of("occurred_at", "-occurred_at");

    private final SecurityLogReader reader;
    private final OrganizationAccess access;
    private final PageCursors cursors;

    SecurityLogController(SecurityLogReader reader, OrganizationAccess access, PageCursors cursors) {
        this.reader = reader;
        this.access = access;
        this.cursors = cursors;
    }

    @Operation(
            operationId = "getSecurityLog",
            summary = "Refused calls (401, 403) of the management and read APIs",
            description = "Role: `platform_admin` only. Newest first unless `sort=occurred_at`; pages of `limit`"
                    + " entries like the audit log. Kept for `keyledger.security-log.retention` (30 days) and at most"
                    + " `keyledger.security-log.max-rows` rows; the newest seconds may not be here yet (published"
                    + " asynchronously).")
    @ApiResponse(
            responseCode = "200",
            description = "A page of refusals",
            content =
                    @Content(
                            mediaType = "application/json",
                            schemaProperties = {
                                @SchemaProperty(
                                        name = "data",
                                        array =
                                                @ArraySchema(
                                                        schema = @Schema(implementation = SecurityLogEntry.class))),
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
                            }))
    @GetMapping("/api/v1/security-log")
    CursorPage<SecurityLogEntry> securityLog(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @Parameter(description = "Only refusals of this organization (`org_...`)")
                    @RequestParam(name = "organization_id", required = false)
                    String organizationId,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @Parameter(
                            description = "Order by `occurred_at`: `-occurred_at` newest first (the default),"
                                    + " `occurred_at` oldest first",
                            schema = @Schema(allowableValues = {"occurred_at", "-occurred_at"}))
                    @RequestParam(required = false)
                    String sort) {
        access.requirePlatformAdmin();
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        String organization = QueryParameters.id("organization_id", organizationId, Ids.ORGANIZATION_PREFIX);
        boolean ascending = "occurred_at".equals(QueryParameters.oneOf("sort", sort, SORTS));
        int size = PageCursors.limit(limit);
        // The cursor is valid only for the list it came from: this organization, sort and range.
        String scope = String.join(
                "\n",
                "security-log",
                organization == null ? "" : organization,
                ascending ? "occurred_at" : "-occurred_at",
                start == null ? "" : start.toString(),
                end == null ? "" : end.toString());
        PageCursors.Position position = cursors.decode(scope, cursor, 2);
        return cursors.page(
                scope,
                position,
                size,
                at -> reader.page(organization, start, end, !ascending, at, size),
                SecurityLogReader::position);
    }
}
