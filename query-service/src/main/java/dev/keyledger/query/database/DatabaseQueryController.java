package dev.keyledger.query.database;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.security.OrganizationAccess;
import dev.keyledger.query.web.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Array;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The databases of an organization. */
@RestController
@Tag(name = "databases")
class DatabaseQueryController {

    /** A database as the portal reads it. */
    @Schema(name = "Database", description = "A database")
    record DatabaseView(
            String id, String organizationId, String name, List<String> allowedOrigins, Instant createdAt) {}

    private final JdbcTemplate jdbc;
    private final OrganizationAccess access;

    DatabaseQueryController(ReadApiDatabase database, OrganizationAccess access) {
        this.jdbc = database.jdbc();
        this.access = access;
    }

    @Operation(
            operationId = "listDatabases",
            summary = "The organization's databases, oldest first",
            description = "Roles: `org_member` or `org_admin` of the organization, or `platform_admin`. A deleted"
                    + " database is not listed (its history stays in the audit log).")
    @GetMapping("/api/v1/organizations/{organizationId}/databases")
    Map<String, List<DatabaseView>> list(@PathVariable String organizationId) {
        access.requireRead(organizationId);
        QueryParameters.pathId(organizationId, Ids.ORGANIZATION_PREFIX, "No such organization");
        List<DatabaseView> databases = jdbc.query(
                "SELECT id, organization_id, name, allowed_origins, created_at FROM databases"
                        + " WHERE organization_id = ? AND deleted_at IS NULL ORDER BY created_at, id",
                (rs, row) -> {
                    Array origins = rs.getArray(4);
                    return new DatabaseView(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            origins == null ? List.of() : Arrays.asList((String[]) origins.getArray()),
                            rs.getObject(5, OffsetDateTime.class).toInstant());
                },
                organizationId);
        return Map.of("data", databases);
    }
}
