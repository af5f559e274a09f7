package dev.keyledger.query.audit;

import dev.keyledger.contracts.audit.SigningKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.auditchain.AuditSigningKeys;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tamper-evident audit export (CONTRACT.md, "Audit and history"; docs/audit.md): NDJSON of the
 * chained entries of [{@code from}, {@code to}) in seq order, the Ed25519-signed checkpoint last.
 * Org admins of the organization and platform admins only. Streamed; a client that goes away
 * stops the read.
 */
@RestController
@Tag(name = "audit")
class AuditExportController {

    private static final Logger LOG = LoggerFactory.getLogger(AuditExportController.class);
    private static final MediaType NDJSON = MediaType.parseMediaType(AuditLogController.NDJSON);

    private final AuditExport export;
    private final AuditSigningKeys keys;
    private final OrganizationAccess access;
    private final ReadApiDatabase database;

    AuditExportController(
            AuditExport export, AuditSigningKeys keys, OrganizationAccess access, ReadApiDatabase database) {
        this.export = export;
        this.keys = keys;
        this.access = access;
        this.database = database;
    }

    @Operation(
            operationId = "exportAuditLog",
            summary = "The organization's signed audit export: hash-chained entries, then a signed checkpoint",
            description = "Roles: `org_admin` of the organization, or `platform_admin`. NDJSON: the entries whose"
                    + " `occurred_at` is in [`from`, `to`) (both optional) in `seq` order, each with `prev_hash` and"
                    + " `hash` (lowercase hex SHA-256 of the entry's RFC 8785 canonical JSON without `hash`); the"
                    + " first entry's `prev_hash` is its predecessor's hash (64 zeros for seq 1), so consecutive"
                    + " exports chain. The last line is the checkpoint `{type: \"checkpoint\", organization_id,"
                    + " first_seq, last_seq, count, head, signed_at, key_id, signature}`, the signature Ed25519"
                    + " (base64url, no padding) over the canonical JSON of the checkpoint without `signature`; the"
                    + " keys are at `/api/v1/audit/signing-keys`. See docs/audit.md.")
    @ApiResponse(
            responseCode = "200",
            description = "The export, streamed",
            content =
                    @Content(
                            mediaType = AuditLogController.NDJSON,
                            schema =
                                    @Schema(
                                            type = "string",
                                            description = "One audit entry per line, then the checkpoint line")))
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @ApiResponse(responseCode = "503", ref = "ServiceUnavailable")
    @GetMapping(value = "/api/v1/organizations/{organizationId}/audit-log/export")
    void export(
            @PathVariable String organizationId,
            @Parameter(description = "Start of the range of `occurred_at` (inclusive), ISO-8601")
                    @RequestParam(required = false)
                    String from,
            @Parameter(description = "End of the range of `occurred_at` (exclusive), ISO-8601")
                    @RequestParam(required = false)
                    String to,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        access.requireAdmin(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        if (!acceptsNdjson(accept)) {
            throw new HttpMediaTypeNotAcceptableException(List.of(NDJSON));
        }
        SigningKey key = keys.current()
                .orElseThrow(() -> ApiException.unavailable(
                        "No audit signing key is configured (keyledger.audit.signing); exports cannot be signed"));
        ReadApiDatabase.StreamPermit permit = database.tryOpenStream().orElseThrow(() -> {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            return ApiException.unavailable("Too many audit log streams are open; try again shortly");
        });
        try (permit) {
            response.setContentType(AuditLogController.NDJSON);
            response.setCharacterEncoding("UTF-8");
            response.setHeader(
                    HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + organizationId + ".ndjson\"");
            OutputStream out = new BufferedOutputStream(response.getOutputStream(), 64 * 1024);
            export.write(organizationId, start, end, key, out);
            out.flush();
        } catch (UncheckedIOException clientGone) {
            LOG.debug(
                    "Audit export ended by the client: {}",
                    clientGone.getCause().toString());
        }
        // A database error mid-stream propagates: the response then ends without its final chunk
        // and without a checkpoint, which the verifier reports as truncated.
    }

    private static boolean acceptsNdjson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        return MediaType.parseMediaTypes(accept).stream().anyMatch(type -> type.isCompatibleWith(NDJSON));
    }
}
