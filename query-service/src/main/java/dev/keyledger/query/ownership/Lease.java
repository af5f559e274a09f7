package dev.keyledger.query.ownership;

import dev.keyledger.query.kafka.FencedException;
import dev.keyledger.query.kafka.Ownership;
import java.time.Duration;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One role's lease in {@code read_side_leases}, as one process sees it (decision 0007). The
 * process holds the role from a successful {@link #acquireOrRenew()} until {@code duration} after
 * the moment it sent that call, by its own monotonic clock, so a process that cannot renew (its
 * thread stalled, the database unreachable, a long pause) stops trusting the lease before the
 * database lets anyone else take it. What keeps a process that nevertheless writes too late from
 * doing harm is {@link #fence(long)}, checked in every write transaction.
 *
 * <p>Thread safe: {@link #acquireOrRenew()} and {@link #release()} are called by one thread, the
 * rest from any.
 */
public final class Lease implements Ownership {

    /** How much earlier than the database this process stops trusting its lease. */
    private static final long MARGIN_NANOS = 250_000_000L;

    private final String role;
    private final String holder;
    private final String token;
    private final Duration duration;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    private volatile long epoch;
    private volatile long validUntilNanos;

    /**
     * @param holder the instance id, for people reading the table
     * @param token unique to this process: renewals match it, so a namesake cannot renew this lease
     */
    public Lease(
            String role,
            String holder,
            String token,
            Duration duration,
            JdbcTemplate jdbc,
            TransactionTemplate transactions) {
        this.role = role;
        this.holder = holder;
        this.token = token;
        this.duration = duration;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public String role() {
        return role;
    }

    public String holder() {
        return holder;
    }

    /** The epoch held and still valid by this process's clock; 0 otherwise. */
    @Override
    public long epoch() {
        long held = epoch;
        return held != 0 && System.nanoTime() - validUntilNanos < 0 ? held : 0;
    }

    /** Whether this process holds the role now. */
    public boolean held() {
        return epoch() != 0;
    }

    /**
     * Inside the caller's write transaction: locks the role's fence row {@code FOR SHARE} and
     * throws unless it still carries {@code epoch}. The lock lasts until the transaction ends, so a
     * take-over (which sets the fence's epoch) waits for this transaction, and this transaction
     * never commits once another process holds the role.
     */
    @Override
    public void fence(long expected) {
        List<Long> current =
                jdbc.queryForList("SELECT epoch FROM read_side_fences WHERE role = ? FOR SHARE", Long.class, role);
        long found = current.isEmpty() ? -1 : current.getFirst();
        if (expected == 0 || found != expected) {
            throw new FencedException("the " + role + " role is at epoch " + found + ", this instance (" + holder
                    + ") wrote under epoch " + expected);
        }
    }

    /**
     * Renews the lease this process holds, or takes it when it has expired. Returns the epoch held
     * afterwards, 0 if another process holds the role. A take-over waits (up to the lock timeout)
     * for the previous holder's write transactions still open; a failure to reach the database
     * leaves the local lease to run out by itself.
     */
    long acquireOrRenew() {
        long sentAt = System.nanoTime();
        long held = epoch;
        try {
            if (held != 0) {
                int renewed = jdbc.update(
                        "UPDATE read_side_leases SET renewed_at = now(), expires_at = now() + ?::interval"
                                + " WHERE role = ? AND holder_token = ? AND epoch = ?",
                        interval(duration),
                        role,
                        token,
                        held);
                if (renewed == 1) {
                    validUntilNanos = sentAt + duration.toNanos() - MARGIN_NANOS;
                    return held;
                }
                epoch = 0;
            }
            Long taken = transactions.execute(status -> {
                // A take-over must not hang behind a holder that is alive and writing: it waits
                // for the fence at most this long and is tried again at the next renewal.
                jdbc.execute("SET LOCAL lock_timeout = '" + Math.max(100, duration.toMillis() / 2) + "ms'");
                List<Long> next = jdbc.queryForList(
                        "UPDATE read_side_leases SET epoch = epoch + 1, holder = ?, holder_token = ?,"
                                + " acquired_at = now(), renewed_at = now(), expires_at = now() + ?::interval"
                                + " WHERE role = ? AND expires_at <= now() RETURNING epoch",
                        Long.class,
                        holder,
                        token,
                        interval(duration),
                        role);
                if (next.isEmpty()) {
                    return 0L;
                }
                jdbc.update("UPDATE read_side_fences SET epoch = ? WHERE role = ?", next.getFirst(), role);
                return next.getFirst();
            });
            long acquired = taken == null ? 0 : taken;
            if (acquired != 0) {
                validUntilNanos = sentAt + duration.toNanos() - MARGIN_NANOS;
                epoch = acquired;
            }
            return acquired;
        } catch (DataAccessException e) {
            // Not renewed: the local lease runs out by itself at validUntilNanos.
            return epoch();
        }
    }

    /** Gives the role up at once (a graceful stop), so a standby need not wait for the expiry. */
    void release() {
        long held = epoch;
        epoch = 0;
        if (held != 0) {
            jdbc.update(
                    "UPDATE read_side_leases SET expires_at = now() WHERE role = ? AND holder_token = ? AND epoch = ?",
                    role,
                    token,
                    held);
        }
    }

    /** Creates the role's rows if this database does not have them yet. */
    void register() {
        jdbc.update(
                "INSERT INTO read_side_leases (role, epoch, expires_at) VALUES (?, 0, '-infinity')"
                        + " ON CONFLICT (role) DO NOTHING",
                role);
        jdbc.update("INSERT INTO read_side_fences (role, epoch) VALUES (?, 0) ON CONFLICT (role) DO NOTHING", role);
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    @Override
    public String toString() {
        return role + " lease of " + holder;
    }
}
