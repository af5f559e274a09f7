/**
 * The in-process Kafka broker: one KRaft node that is both broker and controller, PLAINTEXT on
 * loopback, its log directory in the data directory. The directory is formatted (cluster id, node
 * id, bootstrap metadata) only when it holds no {@code meta.properties} yet, so topics, records and
 * committed offsets survive a restart. It creates the Keyledger topics when they are missing and
 * leaves existing ones as they are. Stopping runs a controlled shutdown. Started and stopped by one
 * thread; start-up failures are {@link IllegalStateException}s.
 */
package dev.keyledger.standalone.kafka;
