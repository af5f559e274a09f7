package dev.keyledger.query.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Consumer positions kept in a table {@code (topic, partition, next_offset)}. Every method joins
 * the caller's transaction.
 */
final class StoredPositions {

    private final JdbcTemplate jdbc;
    private final String table;

    StoredPositions(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** Stored positions of {@code topic}: partition to next offset to read. */
    Map<Integer, Long> load(String topic) {
        Map<Integer, Long> offsets = new HashMap<>();
        jdbc.query(
                "SELECT partition, next_offset FROM " + table + " WHERE topic = ?",
                rs -> {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                },
                topic);
        return offsets;
    }

    void save(String topic, Map<Integer, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        // Rows in partition order, so concurrent writers could never lock them in opposite orders.
        List<Map.Entry<Integer, Long>> rows = new ArrayList<>(nextOffsets.entrySet());
        rows.sort(Map.Entry.comparingByKey());
        jdbc.batchUpdate(
                "INSERT INTO " + table + " (topic, partition, next_offset) VALUES (?, ?, ?)"
                        + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset",
                rows,
                rows.size(),
                (ps, row) -> {
                    ps.setString(1, topic);
                    ps.setInt(2, row.getKey());
                    ps.setLong(3, row.getValue());
                });
    }
}
