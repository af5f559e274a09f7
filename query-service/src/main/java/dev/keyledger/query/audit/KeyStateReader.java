package dev.keyledger.query.audit;

import dev.keyledger.query.datasource.ReadApiDatabase;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The state of a key after each of its events, from the temporal projection's
 * {@code api_key_versions} (Flyway V9): one row per applied event, keyed by the event's sequence
 * number, so a history entry and its state join on (key, sequence).
 */
@Repository
class KeyStateReader {

    private final JdbcTemplate jdbc;

    KeyStateReader(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
    }

    /** The history entries with the key's state after each; an entry without a version keeps a null state. */
    List<KeyHistoryEntry> withStates(String organizationId, String keyId, List<AuditEntry> entries) {
        Map<Long, KeyHistoryEntry.State> states = new HashMap<>();
        jdbc.query(
                "SELECT sequence, status, name, expires_at, replaced_by FROM api_key_versions"
                        + " WHERE key_id = ? AND organization_id = ?",
                rs -> {
                    OffsetDateTime expiresAt = rs.getObject(4, OffsetDateTime.class);
                    states.put(
                            rs.getLong(1),
                            new KeyHistoryEntry.State(
                                    rs.getString(2),
                                    rs.getString(3),
                                    expiresAt == null ? null : expiresAt.toInstant(),
                                    rs.getString(5)));
                },
                keyId,
                organizationId);
        return entries.stream()
                .map(entry -> new KeyHistoryEntry(entry, states.get(entry.sequence())))
                .toList();
    }
}
