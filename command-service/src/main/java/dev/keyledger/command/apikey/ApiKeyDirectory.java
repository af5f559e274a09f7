package dev.keyledger.command.apikey;

import dev.keyledger.command.organization.OrganizationDirectory;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.Actor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The command side's key tables: {@code api_key_directory} (what create, rename and roll answer
 * with; never the plaintext or the hash) and {@code api_key_expiry} (pending expiries, read by
 * {@link ApiKeyExpiryPoller}).
 */
@Component
@ProcessingGroup(OrganizationDirectory.PROCESSING_GROUP)
class ApiKeyDirectory {

    private final JdbcClient jdbc;

    /**
     * The row the issued-event handler just wrote, for the request thread that sent the command:
     * the directory is updated by a subscribing processor in that same thread and transaction, so
     * the create and roll responses need not read the row back ({@link #issued}).
     */
    private final ThreadLocal<ApiKeyResponse> lastIssued = new ThreadLocal<>();

    ApiKeyDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(
            ApiKeyIssuedEvent event,
            @org.axonframework.eventhandling.Timestamp Instant createdAt,
            @MetaDataValue(Actor.META_SUBJECT) String createdBy) {
        // Rounded here rather than by the driver so that the response built from the event below
        // carries exactly the stored values (timestamptz keeps microseconds).
        Instant created = toMicros(createdAt);
        Instant expires = event.expiresAt() == null ? null : toMicros(event.expiresAt());
        jdbc.sql("INSERT INTO api_key_directory (key_id, organization_id, database_id, type, name, last_four,"
                        + " created_at, created_by, expires_at, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (key_id) DO NOTHING")
                .params(
                        event.keyId(),
                        event.organizationId(),
                        event.databaseId(),
                        event.type().wireName(),
                        event.name(),
                        event.lastFour(),
                        Timestamp.from(created),
                        createdBy,
                        timestamp(expires),
                        event.replaces())
                .update();
        if (event.expiresAt() != null) {
            scheduleExpiry(event.keyId(), event.expiresAt());
        }
        lastIssued.set(new ApiKeyResponse(
                event.keyId(),
                event.type().wireName(),
                event.name(),
                event.organizationId(),
                event.databaseId(),
                null,
                event.lastFour(),
                created,
                createdBy,
                expires,
                event.replaces()));
    }

    @EventHandler
    void on(ApiKeyRenamedEvent event) {
        jdbc.sql("UPDATE api_key_directory SET name = ? WHERE key_id = ?")
                .params(event.name(), event.keyId())
                .update();
    }

    @EventHandler
    void on(ApiKeyRolledEvent event) {
        jdbc.sql("UPDATE api_key_directory SET expires_at = ? WHERE key_id = ?")
                .params(timestamp(event.expiresAt()), event.keyId())
                .update();
        scheduleExpiry(event.keyId(), event.expiresAt());
    }

    @EventHandler
    void on(ApiKeyRevokedEvent event) {
        unscheduleExpiry(event.keyId());
        setStatus(event.keyId(), "revoked");
    }

    @EventHandler
    void on(ApiKeyExpiredEvent event) {
        unscheduleExpiry(event.keyId());
        setStatus(event.keyId(), "expired");
    }

    /**
     * The usable keys (active, or rolled within their grace period) of an organization, or of one of
     * its databases when {@code databaseId} is not null: what revoke-all revokes.
     */
    List<String> usableKeys(String organizationId, String databaseId) {
        return jdbc.sql("SELECT key_id FROM api_key_directory WHERE organization_id = ? AND status = 'active'"
                        + (databaseId == null ? "" : " AND database_id = ?")
                        + " ORDER BY key_id")
                .params(databaseId == null ? List.of(organizationId) : List.of(organizationId, databaseId))
                .query(String.class)
                .list();
    }

    private void setStatus(String keyId, String status) {
        jdbc.sql("UPDATE api_key_directory SET status = ? WHERE key_id = ?")
                .params(status, keyId)
                .update();
    }

    Optional<ApiKeyResponse> find(String keyId) {
        return jdbc.sql("SELECT key_id, type, name, organization_id, database_id, last_four, created_at,"
                        + " created_by, expires_at, replaces FROM api_key_directory WHERE key_id = ?")
                .param(keyId)
                .query(ApiKeyDirectory::response)
                .optional();
    }

    /**
     * The directory entry of a key this thread has just issued (as {@link #find} would read it
     * after the commit), falling back to a read when the event was handled elsewhere.
     */
    Optional<ApiKeyResponse> issued(String keyId) {
        ApiKeyResponse last = lastIssued.get();
        lastIssued.remove();
        return last != null && last.id().equals(keyId) ? Optional.of(last) : find(keyId);
    }

    /** Keys whose expiry is due at {@code now}, oldest first. */
    List<String> dueExpiries(Instant now, int limit) {
        return jdbc.sql("SELECT key_id FROM api_key_expiry WHERE expires_at <= ? ORDER BY expires_at LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query(String.class)
                .list();
    }

    /** Drops an entry the aggregate declined, so that it is not retried forever. */
    void dropExpiry(String keyId, Instant dueBy) {
        jdbc.sql("DELETE FROM api_key_expiry WHERE key_id = ? AND expires_at <= ?")
                .params(keyId, Timestamp.from(dueBy))
                .update();
    }

    private void scheduleExpiry(String keyId, Instant expiresAt) {
        jdbc.sql("INSERT INTO api_key_expiry (key_id, expires_at) VALUES (?, ?)"
                        + " ON CONFLICT (key_id) DO UPDATE SET expires_at = EXCLUDED.expires_at")
                .params(keyId, Timestamp.from(expiresAt))
                .update();
    }

    private void unscheduleExpiry(String keyId) {
        jdbc.sql("DELETE FROM api_key_expiry WHERE key_id = ?").param(keyId).update();
    }

    private static ApiKeyResponse response(ResultSet rs, int row) throws SQLException {
        return new ApiKeyResponse(
                rs.getString(1),
                ApiKeyType.fromWireName(rs.getString(2)).wireName(),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                null,
                rs.getString(6),
                rs.getTimestamp(7).toInstant(),
                rs.getString(8),
                instant(rs.getTimestamp(9)),
                rs.getString(10));
    }

    /** Half-up to whole microseconds, as the PostgreSQL driver rounds a timestamp parameter. */
    private static Instant toMicros(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.getNano() % 1_000 >= 500 ? truncated.plus(1, ChronoUnit.MICROS) : truncated;
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
