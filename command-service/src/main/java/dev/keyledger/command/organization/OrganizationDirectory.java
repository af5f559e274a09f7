package dev.keyledger.command.organization;

import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import dev.keyledger.contracts.organization.Plan;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The command side's table of organizations ({@code organization_directory}): existence checks for
 * other features and the current state for responses. Never exposed through a query API.
 */
@Component
@ProcessingGroup(OrganizationDirectory.PROCESSING_GROUP)
public class OrganizationDirectory {

    /** The subscribing processor of every command-side directory. */
    public static final String PROCESSING_GROUP = "command-directory";

    /**
     * Organizations are never deleted, so a positive answer can be remembered; this saves the key
     * issuance path a query. Bounded so that a flood of ids cannot grow it without limit.
     */
    private static final int MAX_REMEMBERED = 100_000;

    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final JdbcClient jdbc;

    OrganizationDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(OrganizationCreatedEvent event, @Timestamp Instant createdAt) {
        jdbc.sql("INSERT INTO organization_directory (organization_id, name, plan, requests_per_minute,"
                        + " requests_per_day, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (organization_id) DO NOTHING")
                .params(
                        event.organizationId(),
                        event.name(),
                        event.plan().wireName(),
                        event.limits().requestsPerMinute(),
                        event.limits().requestsPerDay(),
                        java.sql.Timestamp.from(createdAt))
                .update();
    }

    @EventHandler
    void on(OrganizationPlanChangedEvent event) {
        jdbc.sql("UPDATE organization_directory SET plan = ?, requests_per_minute = ?, requests_per_day = ?"
                        + " WHERE organization_id = ?")
                .params(
                        event.plan().wireName(),
                        event.limits().requestsPerMinute(),
                        event.limits().requestsPerDay(),
                        event.organizationId())
                .update();
    }

    @EventHandler
    void on(OrganizationSuspendedEvent event, @Timestamp Instant suspendedAt) {
        jdbc.sql("UPDATE organization_directory SET status = 'suspended', suspended_reason = ?, suspended_at = ?"
                        + " WHERE organization_id = ?")
                .params(event.reason(), java.sql.Timestamp.from(suspendedAt), event.organizationId())
                .update();
    }

    @EventHandler
    void on(OrganizationReactivatedEvent event) {
        jdbc.sql("UPDATE organization_directory SET status = 'active', suspended_reason = NULL, suspended_at = NULL"
                        + " WHERE organization_id = ?")
                .param(event.organizationId())
                .update();
    }

    /**
     * True when the organization is suspended: it gets no new keys until it is reactivated. Read
     * from the directory, so a key issued in the instant a suspension is stored may slip through;
     * the edge refuses it anyway while the organization is suspended (decision 0012).
     */
    public boolean isSuspended(String organizationId) {
        return jdbc.sql("SELECT 1 FROM organization_directory WHERE organization_id = ? AND status = 'suspended'")
                .param(organizationId)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    /** True when the organization exists. */
    public boolean exists(String organizationId) {
        if (known.contains(organizationId)) {
            return true;
        }
        boolean exists = jdbc.sql("SELECT 1 FROM organization_directory WHERE organization_id = ?")
                .param(organizationId)
                .query(Integer.class)
                .optional()
                .isPresent();
        if (exists) {
            if (known.size() >= MAX_REMEMBERED) {
                known.clear();
            }
            known.add(organizationId);
        }
        return exists;
    }

    Optional<OrganizationResponse> find(String organizationId) {
        return jdbc.sql("SELECT organization_id, name, plan, requests_per_minute, requests_per_day, created_at,"
                        + " status, suspended_reason, suspended_at FROM organization_directory"
                        + " WHERE organization_id = ?")
                .param(organizationId)
                .query((rs, row) -> new OrganizationResponse(
                        rs.getString(1),
                        rs.getString(2),
                        Plan.fromWireName(rs.getString(3)).wireName(),
                        new OrganizationResponse.Limits(rs.getLong(4), rs.getLong(5)),
                        rs.getTimestamp(6).toInstant(),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getTimestamp(9) == null ? null : rs.getTimestamp(9).toInstant()))
                .optional();
    }
}
