package dev.keyledger.query.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads key views from the {@code api_keys} projection. */
@Repository
class ApiKeyReader {

    private static final String COLUMNS = "SELECT id, type, name, organization_id, database_id, public_key, last_four,"
            + " created_at, created_by, expires_at, replaces, status, revoked_at, revoked_by, replaced_by"
            + " FROM api_keys";

    private final JdbcTemplate jdbc;

    ApiKeyReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<KeyView> list(String organizationId, String type, String databaseId, String status) {
        StringBuilder sql = new StringBuilder(COLUMNS).append(" WHERE organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (databaseId != null) {
            sql.append(" AND database_id = ?");
            args.add(databaseId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(" ORDER BY created_at, id");
        return jdbc.query(sql.toString(), (rs, row) -> view(rs), args.toArray());
    }

    Optional<KeyView> find(String organizationId, String keyId) {
        return jdbc
                .query(COLUMNS + " WHERE organization_id = ? AND id = ?", (rs, row) -> view(rs), organizationId, keyId)
                .stream()
                .findFirst();
    }

    private static KeyView view(ResultSet rs) throws SQLException {
        String type = rs.getString(2);
        boolean secret = "secret".equals(type);
        String lastFour = rs.getString(7);
        return new KeyView(
                rs.getString(1),
                type,
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                secret ? null : rs.getString(6),
                secret ? "sk_..." + lastFour : null,
                lastFour,
                instant(rs, 8),
                rs.getString(9),
                instant(rs, 10),
                rs.getString(11),
                rs.getString(12),
                instant(rs, 13),
                rs.getString(14),
                rs.getString(15),
                null,
                0);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
