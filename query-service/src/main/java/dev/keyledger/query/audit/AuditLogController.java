package dev.keyledger.query.audit;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * A key's history and the organization audit log. The audit log is written while it is read from
 * the database, as NDJSON ({@code Accept: application/x-ndjson}) or as one {@code {"data":[...]}}
 * document, so neither form holds the log in memory.
 */
@RestController
@RequestMapping("/api/v1/organizations/{organizationId}")
class AuditLogController {

    static final String NDJSON = "application/x-ndjson";

    private final AuditReader reader;
    private final OrganizationAccess access;
    private final JsonMapper json;

    AuditLogController(AuditReader reader, OrganizationAccess access, JsonMapper json) {
        this.reader = reader;
        this.access = access;
        this.json = json;
    }

    @GetMapping("/api-keys/{keyId}/history")
    Map<String, List<AuditEntry>> history(@PathVariable String organizationId, @PathVariable String keyId) {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        QueryParameters.pathId(keyId, Ids.KEY_PREFIX, "No such API key");
        if (!reader.keyExists(organizationId, keyId)) {
            throw ApiException.notFound("No such API key");
        }
        return Map.of("data", reader.history(organizationId, keyId));
    }

    @GetMapping("/audit-log")
    void auditLog(
            @PathVariable String organizationId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        boolean ndjson = accept != null && accept.contains(NDJSON);
        if (!ndjson && !acceptsJson(accept)) {
            throw new HttpMediaTypeNotAcceptableException(
                    List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType(NDJSON)));
        }
        response.setContentType(ndjson ? NDJSON : MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        OutputStream out = new BufferedOutputStream(response.getOutputStream(), 16 * 1024);
        boolean[] first = {true};
        if (!ndjson) {
            out.write("{\"data\":[".getBytes());
        }
        reader.stream(organizationId, start, end, entry -> {
            try {
                if (ndjson) {
                    out.write(json.writeValueAsBytes(entry));
                    out.write('\n');
                } else {
                    if (!first[0]) {
                        out.write(',');
                    }
                    first[0] = false;
                    out.write(json.writeValueAsBytes(entry));
                }
            } catch (IOException e) {
                // The client went away: stop reading rows.
                throw new UncheckedIOException(e);
            }
        });
        if (!ndjson) {
            out.write("]}".getBytes());
        }
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
