/**
 * The consumer loop shared by the query-service's Kafka projections: one dedicated thread with a
 * plain {@code KafkaConsumer} assigned every partition of one topic (no consumer group), whose only
 * record of progress is a table of positions in PostgreSQL. Each poll is written in one database
 * transaction together with the next offset of every partition it read, so a poll is applied
 * exactly once: after any failure the consumer seeks back to the stored positions and reads again
 * what did not commit. A poll that failed {@code maxAttempts} times for what its handler calls a
 * record's fault is applied record by record, and a record that still fails alone is handed to the
 * handler to park, in a transaction that also stores the position after it. What a poll means is
 * left to a {@link dev.keyledger.query.kafka.PartitionedTopicConsumer.Handler}. Which process may
 * consume is left to an {@link dev.keyledger.query.kafka.Ownership}: the consumer polls only while it
 * grants an epoch, reloads the positions when the epoch changes and fences every transaction with
 * it, so several instances can run the same consumer on one database (decision 0007). All consumer state is
 * owned by the consumer thread; only the lifecycle methods and metrics are read from other threads.
 */
package dev.keyledger.query.kafka;
