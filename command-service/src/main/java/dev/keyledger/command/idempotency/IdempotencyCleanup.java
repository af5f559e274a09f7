package dev.keyledger.command.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the rows past the contract's 24 hours, in bounded batches per run, so that a backlog
 * (after a long stop) is worked off over a few runs instead of in one long statement. Rows another
 * transaction holds are skipped; several instances may run it at once.
 */
final class IdempotencyCleanup {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyCleanup.class);

    private final IdempotencyStore store;
    private final IdempotencyProperties properties;

    IdempotencyCleanup(IdempotencyStore store, IdempotencyProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /** One run; returns the rows deleted. Never throws: the next run tries again. */
    int run() {
        int total = 0;
        try {
            for (int batch = 0; batch < properties.cleanupMaxBatches(); batch++) {
                int deleted = store.deleteExpired(properties.cleanupBatchSize());
                total += deleted;
                if (deleted < properties.cleanupBatchSize()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Idempotency-Key cleanup failed after {} rows: {}",
                    total,
                    e.getClass().getName());
        }
        if (total > 0) {
            log.debug("Deleted {} Idempotency-Key answers past 24 hours", total);
        }
        return total;
    }
}
