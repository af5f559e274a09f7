/**
 * The relay from the Axon event store to Kafka: a tracking event processor named
 * {@code kafka-relay} publishes every domain event to {@code keyledger.key-events} with an
 * idempotent producer, record key = aggregate id, and advances its token (in the JDBC token store,
 * in the same database transaction) only after the broker acknowledged every record of the batch.
 *
 * <p>Delivery is at least once and in order per aggregate: a batch whose acknowledgement or token
 * commit fails is rolled back and sent again, so consumers deduplicate on (aggregate id, sequence
 * number). Error model: any send failure or missing acknowledgement is thrown out of the batch's
 * unit of work and replaces the producer; Axon then releases the segment and retries from the last
 * committed token with back-off (decision record 0006). Thread safety: the processor thread owns a batch; the producer and the meters are thread
 * safe.
 */
package dev.keyledger.command.relay;
