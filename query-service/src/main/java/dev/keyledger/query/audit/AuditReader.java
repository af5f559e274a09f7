package dev.keyledger.query.audit;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.paging.PageCursors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
            + " actor_subject, actor_ip, actor_user_agent, details, seq, prev_hash, hash FROM audit_log";
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

    /**
     * Calls {@code sink} for every entry of the organization in time order ({@code descending}:
     * newest first), after {@code after} if given, one row in memory at a time.
     */
    void stream(
            String organizationId,
            Instant from,
            Instant to,
            boolean descending,
            PageCursors.Position after,
            Consumer<AuditEntry> sink) {
        List<Object> args = new ArrayList<>();
        String sql = select(organizationId, from, to, descending, after, args);
        readOnly.executeWithoutResult(
                status -> streaming.query(sql, (RowCallbackHandler) rs -> sink.accept(entry(rs)), args.toArray()));
    }

    /**
     * One page of the organization's entries, {@code limit} + 1 rows at most (one more when more
     * follow), from {@code position} in its reading direction: keyset paging on the index
     * (organization_id, occurred_at, aggregate_id, sequence), never an OFFSET.
     */
    List<AuditEntry> page(
            String organizationId,
            Instant from,
            Instant to,
            boolean descending,
            PageCursors.Position position,
            int limit) {
        List<Object> args = new ArrayList<>();
        boolean backwards = position != null && position.before();
        String sql = select(organizationId, from, to, descending != backwards, position, args) + " LIMIT ?";
        args.add(limit + 1);
        return jdbc.query(sql, (rs, row) -> entry(rs), args.toArray());
    }

    /** The cursor values of an entry: its position in the log's order. */
    static List<String> position(AuditEntry entry) {
        return List.of(entry.occurredAt().toString(), entry.aggregateId(), Long.toString(entry.sequence()));
    }

    private static String select(
            String organizationId,
            Instant from,
            Instant to,
            boolean descending,
            PageCursors.Position position,
            List<Object> args) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE organization_id = ?");
        args.add(organizationId);
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            args.add(to.atOffset(ZoneOffset.UTC));
        }
        if (position != null) {
            List<String> values = position.values();
            try {
                args.add(Instant.parse(values.get(0)).atOffset(ZoneOffset.UTC));
                args.add(Objects.requireNonNull(values.get(1)));
                args.add(Long.parseLong(values.get(2)));
            } catch (RuntimeException e) {
                // Signed by this service, so only a leaked cursor key could get here: still a 400.
                throw PageCursors.invalid();
            }
            sql.append(" AND (occurred_at, aggregate_id, sequence) ")
                    .append(descending ? "<" : ">")
                    .append(" (?, ?, ?)");
        }
        String direction = descending ? " DESC" : "";
        sql.append(" ORDER BY occurred_at")
                .append(direction)
                .append(", aggregate_id")
                .append(direction)
                .append(", sequence")
                .append(direction);
        return sql.toString();
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        OffsetDateTime occurredAt = rs.getObject(6, OffsetDateTime.class);
        long seq = rs.getLong(11);
        return new AuditEntry(
                rs.wasNull() ? null : seq,
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                occurredAt.toInstant(),
                new AuditEntry.Actor(rs.getString(7), rs.getString(8), rs.getString(9)),
                rs.getString(10),
                rs.getString(12),
                rs.getString(13));
    }
}
