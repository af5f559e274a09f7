package dev.keyledger.command.database;

import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The command side's table of databases ({@code database_directory}). Origins are stored
 * space-separated: a valid origin never contains a space.
 */
@Component
@ProcessingGroup(OrganizationDirectory.PROCESSING_GROUP)
public class DatabaseDirectory {

    private final JdbcClient jdbc;

    DatabaseDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(DatabaseCreatedEvent event, @Timestamp Instant createdAt) {
        jdbc.sql("INSERT INTO database_directory (database_id, organization_id, name, allowed_origins, created_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (database_id) DO NOTHING")
                .params(
                        event.databaseId(),
                        event.organizationId(),
                        event.name(),
                        String.join(" ", event.allowedOrigins()),
                        java.sql.Timestamp.from(createdAt))
                .update();
    }

    @EventHandler
    void on(AllowedOriginsChangedEvent event) {
        jdbc.sql("UPDATE database_directory SET allowed_origins = ? WHERE database_id = ?")
                .params(String.join(" ", event.allowedOrigins()), event.databaseId())
                .update();
    }

    @EventHandler
    void on(DatabaseDeletedEvent event, @Timestamp Instant deletedAt) {
        jdbc.sql("UPDATE database_directory SET deleted_at = ? WHERE database_id = ?")
                .params(java.sql.Timestamp.from(deletedAt), event.databaseId())
                .update();
    }

    /** True when the database exists, is not deleted and belongs to the organization. */
    public boolean belongsTo(String databaseId, String organizationId) {
        return jdbc.sql("SELECT organization_id FROM database_directory WHERE database_id = ? AND deleted_at IS NULL")
                .param(databaseId)
                .query(String.class)
                .optional()
                .filter(organizationId::equals)
                .isPresent();
    }

    Optional<DatabaseResponse> find(String databaseId) {
        return jdbc.sql("SELECT database_id, organization_id, name, allowed_origins, created_at"
                        + " FROM database_directory WHERE database_id = ? AND deleted_at IS NULL")
                .param(databaseId)
                .query((rs, row) -> new DatabaseResponse(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        origins(rs.getString(4)),
                        rs.getTimestamp(5).toInstant()))
                .optional();
    }

    private static List<String> origins(String stored) {
        return stored.isEmpty() ? List.of() : Arrays.asList(stored.split(" "));
    }
}
