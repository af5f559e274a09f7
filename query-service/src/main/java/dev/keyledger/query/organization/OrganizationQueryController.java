package dev.keyledger.query.organization;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Organizations as the portal reads them: one organization (its members and platform admins), and
 * the list of every organization (platform admins only), from the {@code organizations} projection.
 */
@RestController
@Tag(name = "organizations")
class OrganizationQueryController {

    /** An organization with its plan's limits, as the management API answers it. */
    @Schema(name = "Organization", description = "An organization with its plan's limits")
    record OrganizationView(
            String id,
            String name,
            String plan,
            Limits limits,
            Instant createdAt,

            @Schema(
                    description = "`suspended`: every key of the organization is refused at the edge",
                    allowableValues = {"active", "suspended"})
            String status,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Why the organization is suspended; only while it is")
            String suspendedReason,

            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "When the organization was suspended; only while it is")
            Instant suspendedAt) {}

    @Schema(name = "RateLimits", description = "The plan's limits per key, in fixed UTC windows")
    record Limits(long requestsPerMinute, long requestsPerDay) {}

    private static final String COLUMNS =
            "SELECT id, name, plan, requests_per_minute, requests_per_day, created_at, status, suspended_reason,"
                    + " suspended_at FROM organizations";

    private final JdbcTemplate jdbc;
    private final OrganizationAccess access;

    OrganizationQueryController(ReadApiDatabase database, OrganizationAccess access) {
        this.jdbc = database.jdbc();
        this.access = access;
    }

    @Operation(
            operationId = "listOrganizations",
            summary = "Every organization, by name",
            description = "Role: `platform_admin` only.")
    @GetMapping("/api/v1/organizations")
    Map<String, List<OrganizationView>> list() {
        access.requirePlatformAdmin();
        return Map.of("data", jdbc.query(COLUMNS + " ORDER BY name, id", OrganizationQueryController::view));
    }

    @Operation(
            operationId = "getOrganization",
            summary = "One organization with its plan and limits",
            description = "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`.")
    @GetMapping("/api/v1/organizations/{organizationId}")
    OrganizationView organization(@PathVariable String organizationId) {
        access.requireRead(organizationId);
        return jdbc.query(COLUMNS + " WHERE id = ?", OrganizationQueryController::view, organizationId).stream()
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("No such organization"));
    }

    private static OrganizationView view(ResultSet rs, int row) throws SQLException {
        return new OrganizationView(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                new Limits(rs.getLong(4), rs.getLong(5)),
                rs.getObject(6, OffsetDateTime.class).toInstant(),
                rs.getString(7),
                rs.getString(8),
                rs.getObject(9, OffsetDateTime.class) == null
                        ? null
                        : rs.getObject(9, OffsetDateTime.class).toInstant());
    }
}
