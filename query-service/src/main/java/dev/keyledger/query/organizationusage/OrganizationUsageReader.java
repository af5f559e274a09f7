package dev.keyledger.query.organizationusage;

import dev.keyledger.query.datasource.ReadApiDatabase;
import dev.keyledger.query.organizationusage.OrganizationUsage.KeyUsage;
import dev.keyledger.query.organizationusage.OrganizationUsage.Total;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The organization's usage from the bucket tables. The organization of a bucket is its key's
 * {@code key_usage.organization_id} (written by the usage metering from the edge's record, so usage
 * of a key the key projection has not seen yet counts too); index {@code key_usage_organization}
 * (V5) walks the organization's keys in key-id order. The totals are one grouped statement over the
 * buckets, never a statement per key, and a page reads totals and keys in one repeatable-read
 * snapshot, so the totals equal the sum of every key's row of the same snapshot.
 */
@Repository
class OrganizationUsageReader {

    private static final int FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate readOnly;

    OrganizationUsageReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
        this.streaming = database.streaming(FETCH_SIZE);
        this.readOnly = database.readOnlyTransaction();
        this.snapshot = new TransactionTemplate(readOnly.getTransactionManager());
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** Totals and the first {@code limit} keys after {@code afterKey} (null: from the first). */
    OrganizationUsage page(String organizationId, UsageWindow window, String afterKey, int limit) {
        return snapshot.execute(status -> {
            List<Total> totals = jdbc.query(
                    "SELECT b.bucket_start, sum(b.requests), sum(b.rejected)"
                            + " FROM key_usage u JOIN " + window.interval().table() + " b ON b.key_id = u.key_id"
                            + " WHERE u.organization_id = ? AND b.bucket_start >= ? AND b.bucket_start < ?"
                            + " GROUP BY b.bucket_start ORDER BY b.bucket_start",
                    (rs, row) ->
                            new Total(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getLong(3)),
                    organizationId,
                    utc(window.from()),
                    utc(window.to()));
            List<Object> args = new ArrayList<>(List.of(organizationId, utc(window.from()), utc(window.to())));
            if (afterKey != null) {
                args.add(afterKey);
            }
            args.add(limit + 1);
            List<KeyUsage> keys =
                    jdbc.query(keysSql(window, afterKey != null) + " LIMIT ?", (rs, row) -> key(rs), args.toArray());
            String next = null;
            if (keys.size() > limit) {
                keys = List.copyOf(keys.subList(0, limit));
                next = UsageCursor.after(keys.getLast().keyId());
            }
            return new OrganizationUsage(
                    window.from(), window.to(), window.interval().wireName(), totals, keys, next);
        });
    }

    /** Every key with usage in the range, in key-id order, one row in memory at a time. */
    void streamKeys(String organizationId, UsageWindow window, Consumer<KeyUsage> sink) {
        readOnly.executeWithoutResult(status -> streaming.query(
                keysSql(window, false),
                (RowCallbackHandler) rs -> sink.accept(key(rs)),
                organizationId,
                utc(window.from()),
                utc(window.to())));
    }

    private static String keysSql(UsageWindow window, boolean after) {
        return "SELECT u.key_id, sum(b.requests), sum(b.rejected)"
                + " FROM key_usage u JOIN " + window.interval().table() + " b ON b.key_id = u.key_id"
                + " WHERE u.organization_id = ? AND b.bucket_start >= ? AND b.bucket_start < ?"
                + (after ? " AND u.key_id > ?" : "")
                + " GROUP BY u.key_id ORDER BY u.key_id";
    }

    private static KeyUsage key(ResultSet rs) throws SQLException {
        return new KeyUsage(rs.getString(1), rs.getLong(2), rs.getLong(3));
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
