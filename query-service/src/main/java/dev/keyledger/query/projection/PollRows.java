package dev.keyledger.query.projection;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

/**
 * The small helper every model projection shares: the rows of one model that a poll touches,
 * loaded once, changed in memory by their transition methods in event order, and the ones changed
 * handed back for one write. An event whose sequence number is not above its row's
 * {@code last_sequence} is a duplicate and changes nothing. Owned by one poll on one thread.
 *
 * @param <R> the row record of the model
 */
final class PollRows<R> {

    /** What one event did to its row. */
    enum Change {
        APPLIED,
        DUPLICATE,
        /** The aggregate's creation was never seen (impossible unless the topic lost records). */
        ORPHAN
    }

    private final Map<String, R> rows;
    private final Set<String> existing;
    private final Map<String, R> changed = new LinkedHashMap<>();
    private final Function<R, String> id;
    private final ToLongFunction<R> lastSequence;

    PollRows(Map<String, R> loaded, Function<R, String> id, ToLongFunction<R> lastSequence) {
        this.rows = loaded;
        this.existing = Set.copyOf(loaded.keySet());
        this.id = id;
        this.lastSequence = lastSequence;
    }

    /**
     * Applies one event to the row {@code rowId}: {@code transition} gets the current row (null if
     * none) and returns the next one, or null when the event needs a row that does not exist.
     */
    Change apply(String rowId, long sequence, UnaryOperator<R> transition) {
        R current = rows.get(rowId);
        if (current != null && sequence <= lastSequence.applyAsLong(current)) {
            return Change.DUPLICATE;
        }
        R next = transition.apply(current);
        if (next == null) {
            return Change.ORPHAN;
        }
        rows.put(id.apply(next), next);
        changed.put(id.apply(next), next);
        return Change.APPLIED;
    }

    /** The row {@code rowId} as the events applied so far left it; null if none. */
    R get(String rowId) {
        return rows.get(rowId);
    }

    Collection<R> changed() {
        return changed.values();
    }

    Set<String> changedIds() {
        return changed.keySet();
    }

    /** Whether the row existed when the poll started (this thread is its only writer). */
    boolean existed(R row) {
        return existing.contains(id.apply(row));
    }
}
