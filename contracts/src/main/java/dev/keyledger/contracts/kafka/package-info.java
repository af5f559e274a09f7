/**
 * The Kafka wire format: topic names, the event envelope and its headers, the active-key entry the
 * edge reads, and {@link dev.keyledger.contracts.kafka.KeyledgerJson}, the one codec every producer
 * and consumer uses. Readers tolerate unknown fields; unknown event types decode to {@code null} so a
 * consumer can skip and count them instead of failing.
 */
package dev.keyledger.contracts.kafka;
