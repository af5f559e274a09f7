package dev.keyledger.query.audit;

import dev.keyledger.query.datasource.ReadApiDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the {@code audit_log} projection on the read API's own pool. The organization log is
 * streamed through a server-side cursor (a fetch size inside a read-only transaction), so memory
 * stays flat however long it is; a client that stops reading holds one read-API connection until
 * the idle-in-transaction timeout, never a projection's.
 */
@Repository
class AuditReader {

    private static final String COLUMNS = "SELECT event_id, aggregate_id, aggregate_type, sequence, type, occurred_at,"
            + " actor_subject, actor_ip, actor_user_agent, details FROM audit_log";
    private static final int FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;

    AuditReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
        this.streaming = database.streaming(FETCH_SIZE);
        this.readOnly = database.readOnlyTransaction();
    }

    boolean keyExists(String organizationId, String keyId) {
        return !jdbc.queryForList(
                        "SELECT 1 FROM api_keys WHERE organization_id = ? AND id = ?",
                        Integer.class,
                        organizationId,
                        keyId)
                .isEmpty();
    }

    List<AuditEntry> history(String organizationId, String aggregateId) {
        return jdbc.query(
                COLUMNS + " WHERE organization_id = ? AND aggregate_id = ? ORDER BY sequence",
                (rs, row) -> entry(rs),
                organizationId,
                aggregateId);
    }

    /** Calls {@code sink} for every entry of the organization in time order, one row in memory at a time. */
    void stream(String organizationId, Instant from, Instant to, Consumer<AuditEntry> sink) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            args.add(to.atOffset(ZoneOffset.UTC));
        }
        sql.append(" ORDER BY occurred_at, aggregate_id, sequence");
        readOnly.executeWithoutResult(status ->
                streaming.query(sql.toString(), (RowCallbackHandler) rs -> sink.accept(entry(rs)), args.toArray()));
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        OffsetDateTime occurredAt = rs.getObject(6, OffsetDateTime.class);
        return new AuditEntry(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                occurredAt.toInstant(),
                new AuditEntry.Actor(rs.getString(7), rs.getString(8), rs.getString(9)),
                rs.getString(10));
    }
}
