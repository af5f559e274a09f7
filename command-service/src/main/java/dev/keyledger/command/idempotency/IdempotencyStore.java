package dev.keyledger.command.idempotency;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The table {@code idempotency_key} (migration V6). Every method runs in the caller's transaction:
 * {@link #claim} and {@link #complete} in the one that also carries the request's events.
 */
final class IdempotencyStore {

    /** The contract's window: the same key and body within 24 hours answer the first answer again. */
    static final Duration RETENTION = Duration.ofHours(24);

    private final JdbcClient jdbc;

    IdempotencyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The answer of an earlier request with the same key, as stored. */
    record StoredAnswer(byte[] fingerprint, Integer status, String location, byte[] body) {

        boolean sameRequest(byte[] other) {
            return Arrays.equals(fingerprint, other);
        }

        /** Never the case for a committed row; a defensive answer rather than a replay of nothing. */
        boolean complete() {
            return status != null && body != null;
        }
    }

    /**
     * Claims the key for this request, or returns the answer stored for it. Waits, at most
     * {@code lockTimeout}, while another transaction holds the same key: when that one commits its
     * answer is returned; when it rolls back (refused, failed or its process died) this request
     * gets the claim. A row past the 24 hours is replaced as if it were not there.
     *
     * @return empty when this request holds the claim and must do the work
     * @throws org.springframework.dao.PessimisticLockingFailureException when the wait times out
     */
    Optional<StoredAnswer> claim(byte[] scope, IdempotencyKey key, byte[] fingerprint, Duration lockTimeout) {
        jdbc.sql("SELECT set_config('lock_timeout', ?, true)")
                .param(Math.max(1, lockTimeout.toMillis()) + "ms")
                .query(String.class)
                .single();
        Optional<StoredAnswer> stored = Optional.empty();
        boolean claimed = false;
        // A committed row can vanish between the insert that saw it and the read (the cleanup of a
        // row that just passed the 24 hours): then the key is free, and the next round claims it.
        for (int round = 0; round < 3; round++) {
            jdbc.sql("DELETE FROM idempotency_key WHERE scope = ? AND idempotency_key = ?"
                            + " AND created_at <= now() - make_interval(secs => ?)")
                    .param(scope)
                    .param(key.value())
                    .param(RETENTION.toSeconds())
                    .update();
            int inserted = jdbc.sql("INSERT INTO idempotency_key (scope, idempotency_key, fingerprint)"
                            + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                    .param(scope)
                    .param(key.value())
                    .param(fingerprint)
                    .update();
            if (inserted == 1) {
                claimed = true;
                break;
            }
            stored = jdbc.sql("SELECT fingerprint, status, location, body FROM idempotency_key"
                            + " WHERE scope = ? AND idempotency_key = ?")
                    .param(scope)
                    .param(key.value())
                    .query((rs, row) -> new StoredAnswer(
                            rs.getBytes("fingerprint"),
                            (Integer) rs.getObject("status"),
                            rs.getString("location"),
                            rs.getBytes("body")))
                    .optional();
            if (stored.isPresent()) {
                break;
            }
        }
        if (!claimed && stored.isEmpty()) {
            throw new PessimisticLockingFailureException("the key changed hands three times during the claim");
        }
        // The wait bound is for the claim only, not for the request's own statements.
        jdbc.sql("SET LOCAL lock_timeout TO DEFAULT").update();
        return stored;
    }

    /** Records the answer of the claimed request, in the request's transaction. */
    void complete(byte[] scope, IdempotencyKey key, int status, String location, byte[] body) {
        jdbc.sql(
                        "UPDATE idempotency_key SET status = ?, location = ?, body = ? WHERE scope = ? AND idempotency_key = ?")
                .param(status)
                .param(location)
                .param(body)
                .param(scope)
                .param(key.value())
                .update();
    }

    /**
     * Deletes at most {@code limit} rows older than the retention, skipping rows another
     * transaction holds; returns how many it deleted.
     */
    int deleteExpired(int limit) {
        return jdbc.sql("DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key"
                        + " WHERE created_at <= now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?"
                        + " FOR UPDATE SKIP LOCKED)")
                .param(RETENTION.toSeconds())
                .param(limit)
                .update();
    }
}
