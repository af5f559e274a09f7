package dev.keyledger.query.apikey;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.paging.PageCursors;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads keys as they were at an instant from the temporal projection (Flyway V9): the versions
 * of the organization's keys that were usable at T, found by the GiST index on (organization,
 * usable interval), each joined to the organization's plan version and its database's origins
 * version at T by a backward scan of their (id, valid_from, valid_to) indexes; none while the
 * organization was suspended at T. Nothing is
 * replayed per call. Usage totals come from {@code key_usage} as they are now.
 */
@Repository
class TemporalKeyReader {

    /**
     * The interval of a version in which its key was usable: the version's own interval cut at the
     * key's expiry. Exactly the expression of the index {@code api_key_versions_usable}.
     */
    static final String USABLE =
            "tstzrange(v.valid_from, GREATEST(v.valid_from, LEAST(v.valid_to, v.expires_at)), '[)')";

    private static final String VERSIONS = "SELECT v.key_id, v.type, v.name, v.organization_id, v.database_id,"
            + " v.public_key, v.last_four, v.created_at, v.created_by, v.expires_at, v.replaces, v.replaced_by"
            + " FROM api_key_versions v WHERE v.organization_id = ? AND v.status = 'active' AND " + USABLE
            + " @> CAST(? AS timestamptz)"
            // Not correlated with v: evaluated once. A suspended organization's keys were refused.
            + " AND NOT EXISTS (SELECT 1 FROM organization_versions s WHERE s.organization_id = ?"
            + " AND s.valid_from <= CAST(? AS timestamptz) AND s.valid_to > CAST(? AS timestamptz)"
            + " AND s.status = 'suspended')";

    private static final String JOINS = " LEFT JOIN LATERAL (SELECT o.plan, o.requests_per_minute, o.requests_per_day"
            + " FROM organization_versions o WHERE o.organization_id = k.organization_id"
            + " AND o.valid_from <= CAST(? AS timestamptz) AND o.valid_to > CAST(? AS timestamptz)"
            + " ORDER BY o.valid_from DESC LIMIT 1) o ON true"
            + " LEFT JOIN LATERAL (SELECT d.allowed_origins FROM database_versions d"
            + " WHERE d.database_id = k.database_id"
            + " AND d.valid_from <= CAST(? AS timestamptz) AND d.valid_to > CAST(? AS timestamptz)"
            + " ORDER BY d.valid_from DESC LIMIT 1) d ON true"
            + " LEFT JOIN key_usage u ON u.key_id = k.key_id";

    private static final String OUTER = "SELECT k.key_id, k.type, k.name, k.organization_id, k.database_id,"
            + " k.public_key, k.last_four, k.created_at, k.created_by, k.expires_at, k.replaces, k.replaced_by,"
            + " o.plan, o.requests_per_minute, o.requests_per_day, d.allowed_origins, u.last_used_at, u.usage_count"
            + " FROM (";

    private final JdbcTemplate jdbc;

    TemporalKeyReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
    }

    /** The sorts a point-in-time list supports: the key's creation and its name at that instant. */
    enum Sort {
        CREATED_AT("created_at", "created_at", true),
        NAME("name", "name", false);

        final String parameter;
        final String column;
        final boolean time;

        Sort(String parameter, String column, boolean time) {
            this.parameter = parameter;
            this.column = column;
            this.time = time;
        }

        String valueOf(KeyView key) {
            return this == CREATED_AT ? key.createdAt().toString() : key.name();
        }
    }

    /**
     * One page of the keys of the organization usable at {@code at}, in {@code sort} order, from
     * {@code position} on; {@code limit} + 1 rows at most (one more when more follow). Keyset
     * paging on (sort value, key id), as the list of keys as they are now.
     */
    List<KeyView> page(
            String organizationId,
            Instant at,
            String type,
            String databaseId,
            Sort sort,
            boolean descendingOrder,
            PageCursors.Position position,
            int limit) {
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        StringBuilder inner = new StringBuilder(VERSIONS);
        List<Object> args = new ArrayList<>(List.of(organizationId, t, organizationId, t, t));
        if (type != null) {
            inner.append(" AND v.type = ?");
            args.add(type);
        }
        if (databaseId != null) {
            inner.append(" AND v.database_id = ?");
            args.add(databaseId);
        }
        boolean backwards = position != null && position.before();
        boolean descending = descendingOrder != backwards;
        if (position != null) {
            String value = position.values().get(0);
            if (value == null) {
                throw PageCursors.invalid();
            }
            if (sort.time) {
                try {
                    args.add(Instant.parse(value).atOffset(ZoneOffset.UTC));
                } catch (RuntimeException e) {
                    throw PageCursors.invalid();
                }
            } else {
                args.add(value);
            }
            args.add(Objects.requireNonNullElse(position.values().get(1), ""));
            inner.append(" AND (v.")
                    .append(sort.column)
                    .append(", v.key_id) ")
                    .append(descending ? "<" : ">")
                    .append(" (?, ?)");
        }
        String direction = descending ? " DESC" : "";
        inner.append(" ORDER BY v.")
                .append(sort.column)
                .append(direction)
                .append(", v.key_id")
                .append(direction)
                .append(" LIMIT ?");
        args.add(limit + 1);
        args.addAll(List.of(t, t, t, t));
        String sql =
                OUTER + inner + ") k" + JOINS + " ORDER BY k." + sort.column + direction + ", k.key_id" + direction;
        return jdbc.query(sql, (rs, row) -> view(rs, at), args.toArray());
    }

    /** The key as it was at {@code at} if it was usable then; empty otherwise. */
    Optional<KeyView> find(String organizationId, String keyId, Instant at) {
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        String sql = OUTER + VERSIONS + " AND v.key_id = ?) k" + JOINS;
        return jdbc
                .query(sql, (rs, row) -> view(rs, at), organizationId, t, organizationId, t, t, keyId, t, t, t, t)
                .stream()
                .findFirst();
    }

    private static KeyView view(ResultSet rs, Instant at) throws SQLException {
        String plan = rs.getString(13);
        Array origins = rs.getArray(16);
        return KeyRows.view(
                rs,
                at,
                "active",
                null,
                null,
                rs.getString(12),
                17,
                plan,
                plan == null ? null : new KeyView.Limits(rs.getLong(14), rs.getLong(15)),
                origins == null ? null : List.copyOf(Arrays.asList((String[]) origins.getArray())),
                at);
    }
}
