package dev.keyledger.query.apikey;

import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import dev.keyledger.query.web.QueryParameters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Key list, one key and its usage (a placeholder until usage is projected). */
@RestController
@RequestMapping("/api/v1/organizations/{organizationId}/api-keys")
class ApiKeyQueryController {

    private static final Set<String> TYPES = Set.of("secret", "public");
    private static final Set<String> STATUSES = Set.of("active", "revoked", "expired");
    private static final Set<String> INTERVALS = Set.of("minute", "hour", "day");

    private final ApiKeyReader reader;
    private final OrganizationAccess access;

    ApiKeyQueryController(ApiKeyReader reader, OrganizationAccess access) {
        this.reader = reader;
        this.access = access;
    }

    @GetMapping
    Map<String, List<KeyView>> list(
            @PathVariable String organizationId,
            @RequestParam(required = false) String type,
            @RequestParam(name = "database_id", required = false) String databaseId,
            @RequestParam(required = false) String status) {
        access.requireRead(organizationId);
        return Map.of(
                "data",
                reader.list(
                        organizationId,
                        QueryParameters.oneOf("type", type, TYPES),
                        databaseId == null || databaseId.isEmpty() ? null : databaseId,
                        QueryParameters.oneOf("status", status, STATUSES)));
    }

    @GetMapping("/{keyId}")
    KeyView one(@PathVariable String organizationId, @PathVariable String keyId) {
        access.requireRead(organizationId);
        return reader.find(organizationId, keyId).orElseThrow(() -> ApiException.notFound("No such API key"));
    }

    @GetMapping("/{keyId}/usage")
    Map<String, List<Object>> usage(
            @PathVariable String organizationId,
            @PathVariable String keyId,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String interval) {
        access.requireRead(organizationId);
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        QueryParameters.range(start, end);
        QueryParameters.oneOf("interval", interval, INTERVALS);
        reader.find(organizationId, keyId).orElseThrow(() -> ApiException.notFound("No such API key"));
        // Usage buckets arrive with the usage projection (keyledger.key-usage); until then none.
        return Map.of("data", List.of());
    }
}
