package dev.keyledger.query.apikey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The row mapping both key readers share ({@link ApiKeyReader} now, {@link TemporalKeyReader} at an
 * instant): their statements select the same first eleven columns, in this order, {@code id, type,
 * name, organization_id, database_id, public_key, last_four, created_at, created_by, expires_at,
 * replaces}, and the usage totals {@code last_used_at, usage_count} at {@code usageColumn}; what
 * differs (status and revocation now, plan, limits and origins then) the caller reads and passes.
 */
final class KeyRows {

    private KeyRows() {}

    static KeyView view(
            ResultSet rs,
            Instant ageAt,
            String status,
            Instant revokedAt,
            String revokedBy,
            String replacedBy,
            int usageColumn,
            String plan,
            KeyView.Limits limits,
            List<String> allowedOrigins,
            Instant validAt)
            throws SQLException {
        String type = rs.getString(2);
        boolean secret = "secret".equals(type);
        String lastFour = rs.getString(7);
        Instant createdAt = instant(rs, 8);
        return new KeyView(
                rs.getString(1),
                type,
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                secret ? null : rs.getString(6),
                secret ? "sk_..." + lastFour : null,
                lastFour,
                createdAt,
                rs.getString(9),
                instant(rs, 10),
                rs.getString(11),
                status,
                revokedAt,
                revokedBy,
                replacedBy,
                instant(rs, usageColumn),
                rs.getLong(usageColumn + 1),
                createdAt == null
                        ? 0
                        : Math.max(0, Duration.between(createdAt, ageAt).toDays()),
                plan,
                limits,
                secret ? null : allowedOrigins,
                validAt);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
