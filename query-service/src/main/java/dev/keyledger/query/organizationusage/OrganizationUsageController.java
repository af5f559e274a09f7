package dev.keyledger.query.organizationusage;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.organizationusage.OrganizationUsage.KeyUsage;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/organizations/{org}/usage}: the organization's totals per hour or day and its
 * keys' sums over the range. JSON pages the keys ({@code limit}, default 100, at most 1000, and the
 * opaque {@code cursor}); {@code Accept: text/csv} or {@code application/x-ndjson} streams every
 * key's row (no paging, {@code limit} and {@code cursor} ignored) from a server-side cursor.
 */
@RestController
@Tag(name = "organizations")
class OrganizationUsageController {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationUsageController.class);
    private static final MediaType CSV_TYPE = MediaType.parseMediaType(CSV);
    private static final MediaType NDJSON_TYPE = MediaType.parseMediaType(NDJSON);

    private enum Format {
        JSON,
        CSV,
        NDJSON
    }

    private final OrganizationUsageReader reader;
    private final OrganizationAccess access;
    private final JsonMapper json;
    private final ReadApiDatabase database;

    OrganizationUsageController(
            OrganizationUsageReader reader, OrganizationAccess access, JsonMapper json, ReadApiDatabase database) {
        this.reader = reader;
        this.access = access;
        this.json = json;
        this.database = database;
    }

    @Operation(
            operationId = "getOrganizationUsage",
            summary = "The organization's usage: totals per bucket and per-key sums",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. JSON pages the keys (`limit`, `cursor`); `Accept: text/csv` or"
                            + " `application/x-ndjson` streams every key's row instead (`limit` and `cursor` ignored).")
    @ApiResponse(
            responseCode = "200",
            description = "Totals and one page of keys, or the per-key export",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = OrganizationUsage.class)),
                @Content(
                        mediaType = "text/csv",
                        schema =
                                @Schema(
                                        type = "string",
                                        description = "`key_id,requests,rejected` and one line per key (RFC 4180)")),
                @Content(
                        mediaType = "application/x-ndjson",
                        schema =
                                @Schema(
                                        implementation = OrganizationUsage.KeyUsage.class,
                                        description = "One key per line"))
            })
    @ApiResponse(responseCode = "406", ref = "NotAcceptable")
    @GetMapping("/api/v1/organizations/{organizationId}/usage")
    void usage(
            @PathVariable String organizationId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @Parameter(description = "Bucket width, default `day`", schema = @Schema(allowableValues = {"hour", "day"}))
                    @RequestParam(required = false)
                    String interval,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            HttpServletResponse response)
            throws IOException, HttpMediaTypeNotAcceptableException {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        UsageWindow window = UsageWindow.parse(from, to, interval, Instant.now());
        Format format = format(accept);
        if (format == Format.JSON) {
            int size = limit(limit);
            String after = UsageCursor.decode(cursor);
            OrganizationUsage page = reader.page(organizationId, window, after, size);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(json.writeValueAsBytes(page));
            return;
        }
        export(organizationId, window, format, response);
    }

    private void export(String organizationId, UsageWindow window, Format format, HttpServletResponse response)
            throws IOException {
        // A stream holds a read-API connection for as long as its client reads: bounded in number.
        ReadApiDatabase.StreamPermit permit = database.tryOpenStream().orElseThrow(() -> {
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            return ApiException.unavailable("Too many streamed reads are open; try again shortly");
        });
        try (permit) {
            boolean csv = format == Format.CSV;
            response.setContentType(csv ? CSV : NDJSON);
            response.setCharacterEncoding("UTF-8");
            OutputStream out = new BufferedOutputStream(response.getOutputStream(), 16 * 1024);
            if (csv) {
                out.write("key_id,requests,rejected\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            reader.streamKeys(organizationId, window, key -> {
                try {
                    if (csv) {
                        out.write(csvLine(key).getBytes(StandardCharsets.UTF_8));
                    } else {
                        out.write(json.writeValueAsBytes(key));
                        out.write('\n');
                    }
                } catch (IOException e) {
                    // The client went away: stop reading rows.
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (UncheckedIOException clientGone) {
            LOG.debug(
                    "Usage export ended by the client: {}",
                    clientGone.getCause().toString());
        }
        // A database error mid-stream propagates: the connection then closes without the final
        // chunk, so the client can tell the export is incomplete.
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted; a leading formula sign is defused. */
    static String csvLine(KeyUsage key) {
        return csvField(key.keyId()) + "," + key.requests() + "," + key.rejected() + "\r\n";
    }

    static String csvField(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    /** 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent; anything else is a 400 on {@code limit}. */
    static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (value.length() > 4 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        int limit = Integer.parseInt(value);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /**
     * The preferred of JSON, CSV and NDJSON by the {@code Accept} header's quality values (JSON when
     * absent or for a wildcard); 406 when it names none of them. A malformed header is a 400.
     */
    private static Format format(String accept) throws HttpMediaTypeNotAcceptableException {
        if (accept == null || accept.isBlank()) {
            return Format.JSON;
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            if (type.equalsTypeAndSubtype(CSV_TYPE)) {
                return Format.CSV;
            }
            if (type.equalsTypeAndSubtype(NDJSON_TYPE)) {
                return Format.NDJSON;
            }
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                return Format.JSON;
            }
        }
        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON, CSV_TYPE, NDJSON_TYPE));
    }
}
