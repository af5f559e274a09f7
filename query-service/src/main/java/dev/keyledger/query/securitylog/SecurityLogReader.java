package dev.keyledger.query.securitylog;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.paging.PageCursors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads {@code security_log} on the read API's own pool: keyset pages on (occurred_at, id), on the
 * index with or without the organization, never an OFFSET.
 */
@Repository
class SecurityLogReader {

    private static final String COLUMNS = "SELECT id, occurred_at, service, status, reason, method, route, subject, ip,"
            + " organization_id FROM security_log";

    private final JdbcTemplate jdbc;

    SecurityLogReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
    }

    /** Up to {@code limit} + 1 entries from {@code position} in its reading direction. */
    List<SecurityLogEntry> page(
            String organizationId,
            Instant from,
            Instant to,
            boolean descending,
            PageCursors.Position position,
            int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE true");
        if (organizationId != null) {
            sql.append(" AND organization_id = ?");
            args.add(organizationId);
        }
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            args.add(to.atOffset(ZoneOffset.UTC));
        }
        boolean backwards = position != null && position.before();
        boolean newestFirst = descending != backwards;
        if (position != null) {
            try {
                args.add(Instant.parse(position.values().get(0)).atOffset(ZoneOffset.UTC));
                args.add(UUID.fromString(position.values().get(1)));
            } catch (RuntimeException e) {
                // Signed by this service, so only a leaked cursor key could get here: still a 400.
                throw PageCursors.invalid();
            }
            sql.append(" AND (occurred_at, id) ")
                    .append(newestFirst ? "<" : ">")
                    .append(" (?, ?)");
        }
        String direction = newestFirst ? " DESC" : "";
        sql.append(" ORDER BY occurred_at").append(direction).append(", id").append(direction);
        sql.append(" LIMIT ?");
        args.add(limit + 1);
        return jdbc.query(sql.toString(), (rs, row) -> entry(rs), args.toArray());
    }

    /** The cursor values of an entry: its position in the log's order. */
    static List<String> position(SecurityLogEntry entry) {
        return List.of(entry.occurredAt().toString(), entry.id());
    }

    private static SecurityLogEntry entry(ResultSet rs) throws SQLException {
        return new SecurityLogEntry(
                rs.getString(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getString(3),
                rs.getShort(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10));
    }
}
