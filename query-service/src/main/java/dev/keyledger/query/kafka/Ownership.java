package dev.keyledger.query.kafka;

/**
 * Whether this process may consume a topic now, and the check that keeps a process that lost
 * that right from writing. A {@link PartitionedTopicConsumer} polls only while {@link #epoch()}
 * is not 0, loads the stored positions again whenever the epoch changes, and calls
 * {@link #fence(long)} first in every write transaction with the epoch it loaded them under.
 */
public interface Ownership {

    /** Always owned, never fenced: the one consumer of its topic (rebuild-free tests, tools). */
    Ownership ALWAYS = new Ownership() {
        @Override
        public long epoch() {
            return 1;
        }

        @Override
        public void fence(long epoch) {}

        @Override
        public String toString() {
            return "always";
        }
    };

    /**
     * The epoch this process holds and may still trust by its own clock, or 0 when it holds none.
     * Called from any thread.
     */
    long epoch();

    /**
     * Called inside a write transaction before its first write: returns only if {@code epoch} is
     * still the current one, and keeps it so until the transaction ends (a take-over waits for
     * it); throws {@link FencedException} otherwise, which rolls the transaction back.
     */
    void fence(long epoch);

    /** Called when a consumer using this ownership starts: from now on it wants to own. */
    default void contest() {}

    /** Called when that consumer has stopped: it gives the ownership up. */
    default void withdraw() {}
}
