package dev.keyledger.query.audit;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.datasource.ReadApiDatabase;
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
 * A key's history and the organization audit log. The audit log is written while it is read from
 * the database, as NDJSON ({@code Accept: application/x-ndjson}) or as one {@code {"data":[...]}}
 * document, so neither form holds the log in memory.
 */
@RestController
@RequestMapping("/api/v1/organizations/{organizationId}")
class AuditLogController {

    static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = LoggerFactory.getLogger(AuditLogController.class);

    private final AuditReader reader;
    private final OrganizationAccess access;
    private final JsonMapper json;
    private final ReadApiDatabase database;

    AuditLogController(AuditReader reader, OrganizationAccess access, JsonMapper json, ReadApiDatabase database) {
        this.reader = reader;
        this.access = access;
        this.json = json;
        this.database = database;
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
        // A stream holds a read-API connection for as long as its client reads: bounded in number.
        ReadApiDatabase.StreamPermit permit = database.tryOpenStream().orElseThrow(() -> {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            return ApiException.unavailable("Too many audit log streams are open; try again shortly");
        });
        try (permit) {
            write(organizationId, start, end, ndjson, response);
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

    private void write(String organizationId, Instant start, Instant end, boolean ndjson, HttpServletResponse response)
            throws IOException {
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
