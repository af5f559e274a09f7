package dev.keyledger.query.apikey;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.paging.CursorPage;
import dev.keyledger.query.paging.PageCursors;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Key list, one key and its usage buckets. */
@RestController
@Tag(name = "api-keys")
@RequestMapping("/api/v1/organizations/{organizationId}/api-keys")
class ApiKeyQueryController {

    private static final Set<String> TYPES = Set.of("secret", "public");
    private static final Set<String> STATUSES = Set.of("active", "revoked", "expired");
    private static final Set<String> INTERVALS = Set.of("minute", "hour", "day");

    private static final String VALID_AT_DESCRIPTION =
            "Point in time (ISO-8601 UTC instant, not in the future): answer with the keys as they were at that"
                    + " instant, usable then (issued, not yet revoked or expired), with the plan, `limits` and"
                    + " `allowed_origins` of that instant. See docs/query-service.md, \"Point in time\"";

    private final ApiKeyReader reader;
    private final TemporalKeyReader temporal;
    private final UsageReader usageReader;
    private final OrganizationAccess access;
    private final PageCursors cursors;

    ApiKeyQueryController(
            ApiKeyReader reader,
            TemporalKeyReader temporal,
            UsageReader usage,
            OrganizationAccess access,
            PageCursors cursors) {
        this.reader = reader;
        this.temporal = temporal;
        this.usageReader = usage;
        this.access = access;
        this.cursors = cursors;
    }

    /**
     * One page of the organization's keys ({@code limit} 1 to 1000, default 100), in {@code sort}
     * order (default {@code created_at}), from {@code cursor} (a {@code next_cursor} or
     * {@code prev_cursor} of the same sort and filters) on. See docs/query-service.md, "Paging".
     */
    @Operation(
            operationId = "listKeys",
            summary = "List the organization's keys, one page at a time",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. Filters: `type`, `database_id`, `status`. Pages of `limit` keys in `sort`"
                            + " order; follow `next_cursor` (or `prev_cursor`) with the same filters and sort. With"
                            + " `valid_at`: the keys usable at that instant, each as it was then.")
    @GetMapping
    CursorPage<KeyView> list(
            @PathVariable String organizationId,
            @Parameter(schema = @Schema(allowableValues = {"secret", "public"})) @RequestParam(required = false)
                    String type,
            @Parameter(description = "Only the public keys of this database (`db_` id)")
                    @RequestParam(name = "database_id", required = false)
                    String databaseId,
            @Parameter(schema = @Schema(allowableValues = {"active", "revoked", "expired"}))
                    @RequestParam(required = false)
                    String status,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String cursor,
            @Parameter(
                            description = "Order of the list; `-` for descending. Default `created_at` (oldest first)",
                            schema =
                                    @Schema(
                                            allowableValues = {
                                                "created_at",
                                                "-created_at",
                                                "name",
                                                "-name",
                                                "last_used_at",
                                                "-last_used_at"
                                            }))
                    @RequestParam(required = false)
                    String sort,
            @Parameter(
                            description = VALID_AT_DESCRIPTION
                                    + ". Combines with `type`, `database_id`, `limit`, `cursor` and the sorts"
                                    + " `created_at`, `name` (the name then) and their descending forms; `status` and"
                                    + " `last_used_at` are refused (400).",
                            schema = @Schema(type = "string", format = "date-time", example = "2026-03-10T14:03:00Z"))
                    @RequestParam(name = "valid_at", required = false)
                    String validAt) {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        String keyType = QueryParameters.oneOf("type", type, TYPES);
        String database = QueryParameters.id("database_id", databaseId, Ids.DATABASE_PREFIX);
        String keyStatus = QueryParameters.oneOf("status", status, STATUSES);
        Instant at = validAt(validAt);
        if (at != null) {
            return listAt(organizationId, at, keyType, database, keyStatus, sort, limit, cursor);
        }
        KeySort.Order order = KeySort.Order.parse(sort);
        int size = PageCursors.limit(limit);
        // The cursor is valid only for the list it came from: this organization, sort and filters.
        String scope = String.join(
                "\n",
                "api-keys",
                organizationId,
                order.parameter(),
                Objects.requireNonNullElse(keyType, ""),
                Objects.requireNonNullElse(database, ""),
                Objects.requireNonNullElse(keyStatus, ""));
        PageCursors.Position position = cursors.decode(scope, cursor, 2);
        return cursors.page(
                scope,
                position,
                size,
                from -> reader.page(organizationId, keyType, database, keyStatus, order, from, size),
                key -> List.of(order.valueOf(key), key.id()));
    }

    @Operation(
            operationId = "getKey",
            summary = "One key, now or as it was at an instant",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. With `valid_at`: the"
                            + " key as it was at that instant, if it was usable then.")
    @GetMapping("/{keyId}")
    KeyView one(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            @Parameter(
                            description = VALID_AT_DESCRIPTION + ". 404 when the key was not usable at that instant.",
                            schema = @Schema(type = "string", format = "date-time", example = "2026-03-10T14:03:00Z"))
                    @RequestParam(name = "valid_at", required = false)
                    String validAt) {
        access.requireRead(organizationId);
        requireWellFormed(organizationId, keyId);
        Instant at = validAt(validAt);
        if (at != null) {
            return temporal.find(organizationId, keyId, at)
                    .orElseThrow(() -> reader.find(organizationId, keyId).isPresent()
                            ? ApiException.notFound("The API key was not usable at " + at)
                            : ApiException.notFound("No such API key"));
        }
        return reader.find(organizationId, keyId).orElseThrow(() -> ApiException.notFound("No such API key"));
    }

    /**
     * The list at an instant: the keys usable then, each as it was then. {@code status} is refused
     * (every key answered was active then), and so is the sort {@code last_used_at} (usage is not
     * kept per instant). The cursor is bound to the instant as to the other filters.
     */
    private CursorPage<KeyView> listAt(
            String organizationId,
            Instant at,
            String keyType,
            String database,
            String keyStatus,
            String sort,
            String limit,
            String cursor) {
        if (keyStatus != null) {
            throw ApiException.badRequest(
                    "status", "does not combine with valid_at: every key it answers was usable (active) then");
        }
        boolean descending = sort != null && sort.startsWith("-");
        String column = sort == null || sort.isEmpty() ? "created_at" : descending ? sort.substring(1) : sort;
        TemporalKeyReader.Sort order = switch (column) {
            case "created_at" -> TemporalKeyReader.Sort.CREATED_AT;
            case "name" -> TemporalKeyReader.Sort.NAME;
            default ->
                throw ApiException.badRequest(
                        "sort", "with valid_at must be one of created_at, -created_at, name, -name");
        };
        int size = PageCursors.limit(limit);
        String scope = String.join(
                "\n",
                "api-keys-at",
                organizationId,
                at.toString(),
                (descending ? "-" : "") + order.parameter,
                Objects.requireNonNullElse(keyType, ""),
                Objects.requireNonNullElse(database, ""));
        PageCursors.Position position = cursors.decode(scope, cursor, 2);
        return cursors.page(
                scope,
                position,
                size,
                from -> temporal.page(organizationId, at, keyType, database, order, descending, from, size),
                key -> List.of(order.valueOf(key), key.id()));
    }

    /** {@code null} when absent; a 400 on {@code valid_at} unless an instant, and not in the future. */
    static Instant validAt(String value) {
        Instant at = QueryParameters.instant("valid_at", value);
        if (at != null && at.isAfter(Instant.now())) {
            throw ApiException.badRequest("valid_at", "must not be in the future");
        }
        return at;
    }

    /**
     * Usage buckets of one key: {@code interval} minute, hour (default) or day; {@code from}
     * (default: one hour, one day or thirty days before {@code to}) is widened to the start of its
     * bucket and is inclusive, {@code to} (default now) is exclusive. Buckets without usage are
     * left out. Minute buckets are kept seven days and hour buckets ninety by default.
     */
    @Operation(
            operationId = "getKeyUsage",
            summary = "Accepted and rejected requests of one key per minute, hour or day",
            description =
                    "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. Buckets without usage are left out; minute buckets are kept seven days,"
                            + " hour buckets ninety.")
    @GetMapping("/{keyId}/usage")
    Map<String, List<UsageBucket>> usage(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @Parameter(
                            description = "Bucket width, default `hour`",
                            schema = @Schema(allowableValues = {"minute", "hour", "day"}))
                    @RequestParam(required = false)
                    String interval) {
        access.requireRead(organizationId);
        requireWellFormed(organizationId, keyId);
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        UsageInterval width = UsageInterval.of(QueryParameters.oneOf("interval", interval, INTERVALS));
        if (end == null) {
            end = Instant.now();
        }
        if (start == null) {
            start = end.minus(width.defaultRange());
            if (start.isAfter(end)) {
                start = end;
            }
        }
        start = width.truncate(start);
        if (width.buckets(start, end) > UsageInterval.MAX_BUCKETS) {
            throw ApiException.badRequest(
                    "from",
                    "the range holds more than " + UsageInterval.MAX_BUCKETS + " buckets of one "
                            + width.name().toLowerCase(Locale.ROOT) + "; narrow it or use a wider interval");
        }
        reader.find(organizationId, keyId).orElseThrow(() -> ApiException.notFound("No such API key"));
        return Map.of("data", usageReader.buckets(keyId, width, start, end));
    }

    /** A malformed organization or key id names nothing: 404, as for an unknown one. */
    static void requireWellFormed(String organizationId, String keyId) {
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        QueryParameters.pathId(keyId, Ids.KEY_PREFIX, "No such API key");
    }
}
