package dev.keyledger.query.securitylog;

import dev.keyledger.contracts.securitylog.SecurityRefusal;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Writes and bounds the {@code security_log} table on the service's primary pool (the one of the
 * projections, not the read API's read-only pool). Inserts skip ids already stored (a record
 * delivered twice); both purges delete in chunks of at most {@code chunk} rows, oldest first, one
 * short statement each.
 */
@Repository
class SecurityLogStore {

    private final JdbcTemplate jdbc;

    SecurityLogStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Inserts the refusals not stored yet; returns how many were new. */
    int insert(List<SecurityRefusal> refusals) {
        if (refusals.isEmpty()) {
            return 0;
        }
        int[][] counts = jdbc.batchUpdate(
                "INSERT INTO security_log (id, occurred_at, service, status, reason, method, route, subject, ip,"
                        + " organization_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                refusals,
                500,
                (ps, r) -> {
                    ps.setObject(1, r.id());
                    ps.setObject(2, r.occurredAt().atOffset(ZoneOffset.UTC));
                    ps.setString(3, r.service());
                    ps.setShort(4, (short) r.status());
                    ps.setString(5, r.reason());
                    ps.setString(6, r.method());
                    ps.setString(7, r.route());
                    setNullable(ps, 8, r.subject());
                    setNullable(ps, 9, r.ip());
                    setNullable(ps, 10, r.organizationId());
                });
        int inserted = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                // The driver's rewritten batches answer SUCCESS_NO_INFO (-2) per row: count those as new.
                inserted += count == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
            }
        }
        return inserted;
    }

    private static void setNullable(java.sql.PreparedStatement ps, int index, String value)
            throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    /** Deletes up to {@code chunk} of the oldest rows that occurred before {@code cutoff}. */
    int deleteOlderThan(Instant cutoff, int chunk) {
        return jdbc.update(
                "DELETE FROM security_log WHERE id IN (SELECT id FROM security_log WHERE occurred_at < ?"
                        + " ORDER BY occurred_at, id LIMIT ?)",
                Timestamp.from(cutoff),
                chunk);
    }

    /**
     * Deletes up to {@code chunk} of the oldest rows beyond the newest {@code maxRows}: the row at
     * position {@code maxRows} (newest first) is found on the index, and older ones go.
     */
    int deleteBeyond(long maxRows, int chunk) {
        List<Object[]> boundary = jdbc.query(
                "SELECT occurred_at, id FROM security_log ORDER BY occurred_at DESC, id DESC OFFSET ? LIMIT 1",
                (rs, row) -> new Object[] {rs.getObject(1, OffsetDateTime.class), rs.getObject(2)},
                maxRows - 1);
        if (boundary.isEmpty()) {
            return 0;
        }
        return jdbc.update(
                "DELETE FROM security_log WHERE id IN (SELECT id FROM security_log WHERE (occurred_at, id) < (?, ?)"
                        + " ORDER BY occurred_at, id LIMIT ?)",
                boundary.getFirst()[0],
                boundary.getFirst()[1],
                chunk);
    }

    /** The refusals of the organization with the most of them since {@code since}; 0 when there are none. */
    long busiestOrganizationSince(Instant since) {
        List<Long> counts = jdbc.queryForList(
                "SELECT count(*) FROM security_log WHERE occurred_at >= ? AND organization_id IS NOT NULL"
                        + " GROUP BY organization_id ORDER BY count(*) DESC LIMIT 1",
                Long.class,
                Timestamp.from(since));
        return counts.isEmpty() ? 0 : counts.getFirst();
    }
}
