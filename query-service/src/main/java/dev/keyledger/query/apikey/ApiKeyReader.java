package dev.keyledger.query.apikey;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.paging.PageCursors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads key views from the {@code api_keys} projection joined with the usage totals ({@code key_usage}). */
@Repository
class ApiKeyReader {

    private static final String COLUMNS =
            "SELECT k.id, k.type, k.name, k.organization_id, k.database_id, k.public_key, k.last_four,"
                    + " k.created_at, k.created_by, k.expires_at, k.replaces, k.status, k.revoked_at, k.revoked_by,"
                    + " k.replaced_by, u.last_used_at, u.usage_count"
                    + " FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id";

    private final JdbcTemplate jdbc;

    ApiKeyReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
    }

    /**
     * One page of the organization's keys in {@code order}, {@code limit} rows at most, starting at
     * {@code position} (null: the first page). Keyset paging: the page is an index range scan from
     * the position (V4 indexes), never an OFFSET, so a walk returns every key exactly once however
     * many keys are added meanwhile. Returns one row more than {@code limit} when more follow in the
     * page's direction (the caller cuts it off).
     */
    List<KeyView> page(
            String organizationId,
            String type,
            String databaseId,
            String status,
            KeySort.Order order,
            PageCursors.Position position,
            int limit) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE k.organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        if (type != null) {
            sql.append(" AND k.type = ?");
            args.add(type);
        }
        if (databaseId != null) {
            sql.append(" AND k.database_id = ?");
            args.add(databaseId);
        }
        if (status != null) {
            sql.append(" AND k.status = ?");
            args.add(status);
        }
        // A previous page is read backwards from its position, then turned around by the caller.
        boolean backwards = position != null && position.before();
        boolean descending = order.descending() != backwards;
        if (position != null) {
            sql.append(" AND (")
                    .append(order.expression())
                    .append(", k.id) ")
                    .append(descending ? "<" : ">")
                    .append(" (")
                    .append(order.placeholder())
                    .append(", ?)");
            args.add(order.checked(position.values().get(0)));
            args.add(Objects.requireNonNullElse(position.values().get(1), ""));
        }
        String direction = descending ? " DESC" : "";
        sql.append(" ORDER BY ")
                .append(order.expression())
                .append(direction)
                .append(", k.id")
                .append(direction)
                .append(" LIMIT ?");
        args.add(limit + 1);
        Instant now = Instant.now();
        return jdbc.query(sql.toString(), (rs, row) -> view(rs, now), args.toArray());
    }

    Optional<KeyView> find(String organizationId, String keyId) {
        return jdbc
                .query(
                        COLUMNS + " WHERE k.organization_id = ? AND k.id = ?",
                        (rs, row) -> view(rs, Instant.now()),
                        organizationId,
                        keyId)
                .stream()
                .findFirst();
    }

    private static KeyView view(ResultSet rs, Instant now) throws SQLException {
        return KeyRows.view(
                rs,
                now,
                rs.getString(12),
                KeyRows.instant(rs, 13),
                rs.getString(14),
                rs.getString(15),
                16,
                null,
                null,
                null,
                null);
    }
}
