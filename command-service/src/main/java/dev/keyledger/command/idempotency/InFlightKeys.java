package dev.keyledger.command.idempotency;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The requests of this instance that carry the same Idempotency-Key (same caller scope), so that
 * retries of one key cannot take the connection pool (decision record 0013). Per key, at most one
 * request is inside the database at a time (it holds a connection: doing the work, replaying, or
 * waiting on the row lock of a request on another instance); up to {@code maxWaiters} more wait
 * here, in arrival order and without a connection, until that one has committed or rolled back;
 * any further request is refused at once ({@link #enter} returns null), and the filter answers it
 * 409 with {@code Retry-After}. The map holds an entry only while some request of its key is in
 * flight.
 */
final class InFlightKeys {

    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    private final int maxWaiters;

    InFlightKeys(int maxWaiters) {
        this.maxWaiters = maxWaiters;
    }

    /** One key's turn (a fair semaphore of one) and how many requests hold or wait for it. */
    private static final class Gate {
        private final Semaphore turn = new Semaphore(1, true);
        // Changed only inside ConcurrentHashMap.compute of this gate's key.
        private int requests;
    }

    /**
     * Registers a request of this key, or returns null when the one in the database and
     * {@code maxWaiters} others are already there. The pass must be closed.
     */
    Pass enter(byte[] scope, String key) {
        String id = HexFormat.of().formatHex(scope) + ' ' + key;
        Gate[] entered = new Gate[1];
        gates.compute(id, (k, gate) -> {
            Gate current = gate == null ? new Gate() : gate;
            if (current.requests <= maxWaiters) {
                current.requests++;
                entered[0] = current;
            }
            return current;
        });
        return entered[0] == null ? null : new Pass(id, entered[0]);
    }

    /** Requests of all keys currently registered (for tests and the gauge). */
    int inFlight() {
        return gates.values().stream().mapToInt(gate -> gate.requests).sum();
    }

    /** A registered request: waits for its key's turn, and leaves when closed. */
    final class Pass implements AutoCloseable {
        private final String id;
        private final Gate gate;
        private boolean turn;

        private Pass(String id, Gate gate) {
            this.id = id;
            this.gate = gate;
        }

        /**
         * Waits, without a database connection, until no other request of this instance with the
         * key is in the database, at most {@code timeout}; false when it did not get the turn.
         */
        boolean awaitTurn(Duration timeout) {
            try {
                turn = gate.turn.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                turn = false;
            }
            return turn;
        }

        @Override
        public void close() {
            if (turn) {
                turn = false;
                gate.turn.release();
            }
            gates.compute(id, (k, current) -> {
                if (current == null) {
                    return null;
                }
                current.requests--;
                return current.requests == 0 ? null : current;
            });
        }
    }
}
