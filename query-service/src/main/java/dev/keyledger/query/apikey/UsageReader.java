package dev.keyledger.query.apikey;

import dev.keyledger.query.datasource.ReadApiDatabase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads a key's usage buckets; only buckets with usage exist, so the answer is sparse. */
@Repository
class UsageReader {

    private final JdbcTemplate jdbc;

    UsageReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
    }

    /** Buckets of {@code keyId} starting in {@code [from, to)}, oldest first. */
    List<UsageBucket> buckets(String keyId, UsageInterval interval, Instant from, Instant to) {
        return jdbc.query(
                "SELECT bucket_start, requests, rejected FROM " + interval.table()
                        + " WHERE key_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start",
                (rs, row) -> new UsageBucket(
                        rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getLong(3)),
                keyId,
                OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
    }
}
