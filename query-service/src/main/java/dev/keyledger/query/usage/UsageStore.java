package dev.keyledger.query.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * JDBC access to the usage tables. A poll's rows go to each table in one statement that unnests
 * arrays and adds to the stored values ({@code INSERT .. ON CONFLICT DO UPDATE SET x = x +
 * EXCLUDED.x}): one round trip per table, whatever the batch size. Rows are sent in primary-key
 * order. Every method joins the caller's transaction.
 */
@Repository
class UsageStore {

    private static final String TOTALS = "INSERT INTO key_usage (key_id, organization_id, usage_count, rejected_count,"
            + " last_used_at) SELECT k, o, a, r, timestamptz 'epoch' + u * interval '1 microsecond'"
            + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS t(k, o, a, r, u)"
            + " ON CONFLICT (key_id) DO UPDATE SET usage_count = key_usage.usage_count + excluded.usage_count,"
            + " rejected_count = key_usage.rejected_count + excluded.rejected_count,"
            + " last_used_at = greatest(key_usage.last_used_at, excluded.last_used_at)";

    private final JdbcTemplate jdbc;

    UsageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void write(UsageBatch batch) {
        if (batch.keys().isEmpty()) {
            return;
        }
        // One sort serves every table: each key's buckets come out in start order.
        List<Map.Entry<String, UsageBatch.KeyTotals>> rows =
                new ArrayList<>(batch.keys().entrySet());
        rows.sort(Map.Entry.comparingByKey());
        writeTotals(rows);
        writeBuckets("key_usage_minutes", rows, batch.minuteBuckets(), UsageBatch.MINUTES);
        writeBuckets("key_usage_hours", rows, batch.hourBuckets(), UsageBatch.HOURS);
        writeBuckets("key_usage_days", rows, batch.dayBuckets(), UsageBatch.DAYS);
    }

    private void writeTotals(List<Map.Entry<String, UsageBatch.KeyTotals>> rows) {
        int n = rows.size();
        String[] ids = new String[n];
        String[] organizations = new String[n];
        Long[] accepted = new Long[n];
        Long[] rejected = new Long[n];
        Long[] lastUsed = new Long[n];
        for (int i = 0; i < n; i++) {
            UsageBatch.KeyTotals totals = rows.get(i).getValue();
            ids[i] = rows.get(i).getKey();
            organizations[i] = totals.organizationId;
            accepted[i] = totals.accepted;
            rejected[i] = totals.rejected;
            lastUsed[i] = totals.used() ? Math.multiplyExact(totals.lastUsedMillis(), 1_000L) : null;
        }
        jdbc.execute(TOTALS, (PreparedStatement ps) -> {
            Connection connection = ps.getConnection();
            ps.setArray(1, connection.createArrayOf("text", ids));
            ps.setArray(2, connection.createArrayOf("text", organizations));
            ps.setArray(3, connection.createArrayOf("bigint", accepted));
            ps.setArray(4, connection.createArrayOf("bigint", rejected));
            ps.setArray(5, connection.createArrayOf("bigint", lastUsed));
            return ps.executeUpdate();
        });
    }

    private void writeBuckets(String table, List<Map.Entry<String, UsageBatch.KeyTotals>> rows, int n, int length) {
        if (n == 0) {
            return;
        }
        String[] ids = new String[n];
        Long[] starts = new Long[n];
        Long[] accepted = new Long[n];
        Long[] rejected = new Long[n];
        int[] next = {0};
        for (Map.Entry<String, UsageBatch.KeyTotals> row : rows) {
            String keyId = row.getKey();
            row.getValue().forEach(length, (start, a, r) -> {
                int i = next[0]++;
                ids[i] = keyId;
                starts[i] = start;
                accepted[i] = a;
                rejected[i] = r;
            });
        }
        if (next[0] != n) {
            throw new IllegalStateException(table + ": " + next[0] + " buckets walked, " + n + " counted");
        }
        String sql = "INSERT INTO " + table + " (key_id, bucket_start, requests, rejected)"
                + " SELECT k, to_timestamp(s), a, r FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[])"
                + " AS t(k, s, a, r) ON CONFLICT (key_id, bucket_start) DO UPDATE SET"
                + " requests = " + table + ".requests + excluded.requests,"
                + " rejected = " + table + ".rejected + excluded.rejected";
        jdbc.execute(sql, (PreparedStatement ps) -> {
            Connection connection = ps.getConnection();
            ps.setArray(1, connection.createArrayOf("text", ids));
            ps.setArray(2, connection.createArrayOf("bigint", starts));
            ps.setArray(3, connection.createArrayOf("bigint", accepted));
            ps.setArray(4, connection.createArrayOf("bigint", rejected));
            return ps.executeUpdate();
        });
    }

    /** The highest report sequence applied per (edge instance, partition), for the given instances. */
    Map<String, Long> appliedSequences(java.util.Collection<String> instances) {
        Map<String, Long> applied = new java.util.HashMap<>();
        if (instances.isEmpty()) {
            return applied;
        }
        jdbc.execute(
                "SELECT edge_instance, partition, last_sequence FROM usage_edge_sequences WHERE edge_instance = ANY(?)",
                (PreparedStatement ps) -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", instances.toArray()));
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            applied.put(sequenceKey(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                        }
                    }
                    return null;
                });
        return applied;
    }

    static String sequenceKey(String instance, int partition) {
        return instance + '\u0000' + partition;
    }

    /** Stores the highest applied sequence of each (edge instance, partition); keys from {@link #sequenceKey}. */
    void saveSequences(Map<String, Long> sequences) {
        if (sequences.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> rows = new ArrayList<>(sequences.entrySet());
        rows.sort(Map.Entry.comparingByKey());
        int n = rows.size();
        String[] instances = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] last = new Long[n];
        for (int i = 0; i < n; i++) {
            String key = rows.get(i).getKey();
            int split = key.indexOf('\u0000');
            instances[i] = key.substring(0, split);
            partitions[i] = Integer.parseInt(key.substring(split + 1));
            last[i] = rows.get(i).getValue();
        }
        jdbc.execute(
                "INSERT INTO usage_edge_sequences (edge_instance, partition, last_sequence, updated_at)"
                        + " SELECT i, p, s, now() FROM unnest(?::text[], ?::integer[], ?::bigint[]) AS t(i, p, s)"
                        + " ON CONFLICT (edge_instance, partition) DO UPDATE SET"
                        + " last_sequence = greatest(usage_edge_sequences.last_sequence, excluded.last_sequence),"
                        + " updated_at = now()",
                (PreparedStatement ps) -> {
                    Connection connection = ps.getConnection();
                    ps.setArray(1, connection.createArrayOf("text", instances));
                    ps.setArray(2, connection.createArrayOf("integer", partitions));
                    ps.setArray(3, connection.createArrayOf("bigint", last));
                    return ps.executeUpdate();
                });
    }

    /**
     * Deletes up to {@code limit} rows of {@code table} whose bucket started before
     * {@code cutoff}; the caller repeats while rows are deleted, so no transaction grows large.
     */
    int deleteBefore(String table, Instant cutoff, int limit) {
        return jdbc.update(
                "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                        + " WHERE bucket_start < ? LIMIT ?))",
                OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC),
                limit);
    }
}
