package dev.keyledger.query.projection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/**
 * JDBC access to the projection tables. Writes are JDBC batches that the driver rewrites into
 * multi-row statements ({@code reWriteBatchedInserts}), one round trip per table and poll. Every
 * method joins the caller's transaction.
 */
@Repository
class ProjectionStore {

    private static final int BATCH = 1000;

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    ProjectionStore(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    Map<String, OrganizationRow> loadOrganizations(Collection<String> ids) {
        Map<String, OrganizationRow> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.query(
                "SELECT id, name, plan, requests_per_minute, requests_per_day, created_at, last_sequence,"
                        + " status, suspended_reason, suspended_at FROM organizations WHERE id = ANY(?)",
                ps -> ps.setArray(1, textArray(ps, ids)),
                rs -> {
                    rows.put(
                            rs.getString(1),
                            new OrganizationRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getLong(4),
                                    rs.getLong(5),
                                    instant(rs, 6),
                                    rs.getLong(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    instant(rs, 10)));
                });
        return rows;
    }

    Map<String, DatabaseRow> loadDatabases(Collection<String> ids) {
        Map<String, DatabaseRow> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.query(
                "SELECT id, organization_id, name, allowed_origins, created_at, last_sequence, deleted_at"
                        + " FROM databases WHERE id = ANY(?)",
                ps -> ps.setArray(1, textArray(ps, ids)),
                rs -> {
                    rows.put(
                            rs.getString(1),
                            new DatabaseRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    strings(rs.getArray(4)),
                                    instant(rs, 5),
                                    rs.getLong(6),
                                    instant(rs, 7)));
                });
        return rows;
    }

    Map<String, ApiKeyRow> loadKeys(Collection<String> ids) {
        Map<String, ApiKeyRow> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        jdbc.query(
                "SELECT id, organization_id, database_id, type, name, key_hash, public_key, last_four, created_at,"
                        + " created_by, expires_at, replaces, replaced_by, status, revoked_at, revoked_by, last_sequence"
                        + " FROM api_keys WHERE id = ANY(?)",
                ps -> ps.setArray(1, textArray(ps, ids)),
                rs -> {
                    rows.put(
                            rs.getString(1),
                            new ApiKeyRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    instant(rs, 9),
                                    rs.getString(10),
                                    instant(rs, 11),
                                    rs.getString(12),
                                    rs.getString(13),
                                    ApiKeyStatus.fromWire(rs.getString(14)),
                                    instant(rs, 15),
                                    rs.getString(16),
                                    rs.getLong(17)));
                });
        return rows;
    }

    void upsertOrganizations(Collection<OrganizationRow> rows) {
        batch(
                "INSERT INTO organizations (id, name, plan, requests_per_minute, requests_per_day, created_at,"
                        + " last_sequence, status, suspended_reason, suspended_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                        + " name = excluded.name, plan = excluded.plan,"
                        + " requests_per_minute = excluded.requests_per_minute,"
                        + " requests_per_day = excluded.requests_per_day, created_at = excluded.created_at,"
                        + " last_sequence = excluded.last_sequence, status = excluded.status,"
                        + " suspended_reason = excluded.suspended_reason, suspended_at = excluded.suspended_at",
                rows,
                (ps, row) -> {
                    ps.setString(1, row.id());
                    ps.setString(2, row.name());
                    ps.setString(3, row.plan());
                    ps.setLong(4, row.requestsPerMinute());
                    ps.setLong(5, row.requestsPerDay());
                    setInstant(ps, 6, row.createdAt());
                    ps.setLong(7, row.lastSequence());
                    ps.setString(8, row.status());
                    ps.setString(9, row.suspendedReason());
                    setInstant(ps, 10, row.suspendedAt());
                });
    }

    void upsertDatabases(Collection<DatabaseRow> rows) {
        batch(
                "INSERT INTO databases (id, organization_id, name, allowed_origins, created_at, last_sequence,"
                        + " deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                        + " organization_id = excluded.organization_id, name = excluded.name,"
                        + " allowed_origins = excluded.allowed_origins, created_at = excluded.created_at,"
                        + " last_sequence = excluded.last_sequence, deleted_at = excluded.deleted_at",
                rows,
                (ps, row) -> {
                    ps.setString(1, row.id());
                    ps.setString(2, row.organizationId());
                    ps.setString(3, row.name());
                    ps.setArray(4, textArray(ps, row.allowedOrigins()));
                    setInstant(ps, 5, row.createdAt());
                    ps.setLong(6, row.lastSequence());
                    setInstant(ps, 7, row.deletedAt());
                });
    }

    /** Inserts keys that do not exist yet with one {@code COPY}. */
    void copyKeys(Collection<ApiKeyRow> rows) {
        copy(
                "api_keys (id, organization_id, database_id, type, name, key_hash, public_key, last_four, created_at,"
                        + " created_by, expires_at, replaces, replaced_by, status, revoked_at, revoked_by, last_sequence)",
                rows,
                (line, row) -> line.field(row.id())
                        .field(row.organizationId())
                        .field(row.databaseId())
                        .field(row.type())
                        .field(row.name())
                        .field(row.keyHash())
                        .field(row.publicKey())
                        .field(row.lastFour())
                        .field(row.createdAt())
                        .field(row.createdBy())
                        .field(row.expiresAt())
                        .field(row.replaces())
                        .field(row.replacedBy())
                        .field(row.status().wireName())
                        .field(row.revokedAt())
                        .field(row.revokedBy())
                        .field(row.lastSequence()));
    }

    /** Writes the mutable columns of existing keys. */
    void updateKeys(Collection<ApiKeyRow> rows) {
        batch(
                "UPDATE api_keys SET name = ?, expires_at = ?, replaced_by = ?, status = ?, revoked_at = ?,"
                        + " revoked_by = ?, last_sequence = ? WHERE id = ?",
                rows,
                (ps, row) -> {
                    ps.setString(1, row.name());
                    setInstant(ps, 2, row.expiresAt());
                    ps.setString(3, row.replacedBy());
                    ps.setString(4, row.status().wireName());
                    setInstant(ps, 5, row.revokedAt());
                    ps.setString(6, row.revokedBy());
                    ps.setLong(7, row.lastSequence());
                    ps.setString(8, row.id());
                });
    }

    /**
     * Appends audit entries with one {@code COPY}. An entry exists exactly when its aggregate's
     * {@code last_sequence} covers it (same transaction), and only events above that are passed
     * here, so the primary key cannot conflict.
     */
    void copyAudit(Collection<AuditRow> rows) {
        copy(
                "audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type, occurred_at,"
                        + " actor_subject, actor_ip, actor_user_agent, details, seq)",
                rows,
                (line, row) -> line.field(row.aggregateId())
                        .field(row.sequence())
                        .field(row.eventId())
                        .field(row.organizationId())
                        .field(row.aggregateType())
                        .field(row.type())
                        .field(row.occurredAt())
                        .field(row.actorSubject())
                        .field(row.actorIp())
                        .field(row.actorUserAgent())
                        .field(row.details())
                        .field(row.seq() == null ? null : row.seq().toString()));
    }

    /** Records one event that could not be applied; a second parking of the same record updates it. */
    void park(ParkedEvent event) {
        jdbc.update(
                "INSERT INTO projection_parked_events (topic, partition, \"offset\", aggregate_id, sequence, type, error,"
                        + " payload, tombstone_published, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                        + " ON CONFLICT (topic, partition, \"offset\") DO UPDATE SET error = excluded.error,"
                        + " tombstone_published = excluded.tombstone_published, parked_at = excluded.parked_at",
                event.topic(),
                event.partition(),
                event.offset(),
                event.aggregateId(),
                event.sequence(),
                event.type(),
                event.error(),
                event.payload(),
                event.tombstonePublished());
    }

    /**
     * Marks a key revoked or expired with as little as possible, for a revocation or expiry whose
     * full projection failed. Returns false when the key is unknown or already past this event.
     */
    boolean endKey(String keyId, ApiKeyStatus status, long sequence) {
        return jdbc.update(
                        "UPDATE api_keys SET status = ?, last_sequence = ? WHERE id = ? AND last_sequence < ?",
                        status.wireName(),
                        sequence,
                        keyId,
                        sequence)
                > 0;
    }

    /**
     * Refreshes the planner statistics of the tables that every poll reads by id. Tables that grow
     * from empty (a new installation or a rebuild after TRUNCATE) otherwise keep statistics that
     * make the planner scan them sequentially, and each poll gets slower as they grow.
     */
    void analyze() {
        jdbc.execute(
                "ANALYZE organizations, databases, api_keys, organization_versions, database_versions, api_key_versions");
    }

    <T> void copy(String target, Collection<T> rows, BiConsumer<CopyLine, T> writer) {
        if (rows.isEmpty()) {
            return;
        }
        CopyLine line = new CopyLine();
        for (T row : rows) {
            writer.accept(line, row);
            line.end();
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn("COPY " + target + " FROM STDIN", new StringReader(line.text()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY into " + target + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** Rows in PostgreSQL's COPY text format: tab-separated, backslash escapes, {@code \N} for null. */
    static final class CopyLine {
        private final StringBuilder text = new StringBuilder(64 * 1024);
        private boolean first = true;

        CopyLine field(String value) {
            separate();
            if (value == null) {
                text.append("\\N");
                return this;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    default -> text.append(c);
                }
            }
            return this;
        }

        CopyLine field(long value) {
            separate();
            text.append(value);
            return this;
        }

        /**
         * A timestamp as PostgreSQL reads it: {@code Instant.toString()} writes years past 9999 as
         * {@code +10000-...}, which PostgreSQL takes for a time zone displacement, and year 0 or
         * negative years, which it spells with an era. A year beyond PostgreSQL's range (294276 AD,
         * 4713 BC) still fails, as the column cannot hold it; that event is then parked.
         */
        CopyLine field(Instant value) {
            if (value == null) {
                return field((String) null);
            }
            separate();
            text.append(timestamp(value));
            return this;
        }

        /** {@code value} as PostgreSQL reads a timestamptz literal (see {@link #field(Instant)}). */
        static String timestamp(Instant value) {
            OffsetDateTime t = value.atOffset(ZoneOffset.UTC);
            int year = t.getYear();
            return String.format(
                    "%04d-%02d-%02d %02d:%02d:%02d.%09d+00%s",
                    year > 0 ? year : 1 - year,
                    t.getMonthValue(),
                    t.getDayOfMonth(),
                    t.getHour(),
                    t.getMinute(),
                    t.getSecond(),
                    t.getNano(),
                    year > 0 ? "" : " BC");
        }

        void end() {
            text.append('\n');
            first = true;
        }

        String text() {
            return text.toString();
        }

        private void separate() {
            if (!first) {
                text.append('\t');
            }
            first = false;
        }
    }

    private <T> void batch(String sql, Collection<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows instanceof List<T> list ? list : new ArrayList<>(rows), BATCH, setter);
        }
    }

    static Array textArray(PreparedStatement ps, Collection<String> values) throws SQLException {
        return ps.getConnection().createArrayOf("text", values.toArray());
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }
}
