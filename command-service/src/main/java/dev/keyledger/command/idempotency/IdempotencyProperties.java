package dev.keyledger.command.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Idempotency-Key handling. The 24-hour window itself is the contract's and not a
 * setting ({@link IdempotencyStore#RETENTION}).
 *
 * @param lockTimeout how long a request waits for another request with the same key to finish
 *     before it is answered 409 (the key is still in use), in all: first for its turn on this
 *     instance (without a database connection), then on the row lock of a request on another
 *     instance (holding one connection: one per key and instance, whatever the number of retries)
 * @param maxWaiters requests of one key that may wait on this instance for the one in the database;
 *     any further one is answered 409 with {@code Retry-After} at once
 * @param cleanupInterval how often rows past the 24 hours are deleted
 * @param cleanupBatchSize rows deleted per statement, so that the cleanup never holds many locks
 * @param cleanupMaxBatches statements per cleanup run at most; what is left waits for the next run
 */
@ConfigurationProperties("keyledger.idempotency")
record IdempotencyProperties(
        @DefaultValue("10s") Duration lockTimeout,
        @DefaultValue("16") int maxWaiters,
        @DefaultValue("10m") Duration cleanupInterval,
        @DefaultValue("1000") int cleanupBatchSize,
        @DefaultValue("100") int cleanupMaxBatches) {

    IdempotencyProperties {
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new IllegalArgumentException("keyledger.idempotency.lock-timeout must be positive");
        }
        if (maxWaiters < 0) {
            throw new IllegalArgumentException("keyledger.idempotency.max-waiters must be 0 or more");
        }
        if (cleanupBatchSize < 1 || cleanupMaxBatches < 1) {
            throw new IllegalArgumentException("keyledger.idempotency.cleanup-* must be at least 1");
        }
    }
}
