/**
 * The owner of every Keyledger topic: declares {@code keyledger.key-events},
 * {@code keyledger.active-keys} and {@code keyledger.key-usage} from their one declaration in
 * {@code contracts} ({@code KeyledgerTopics}) with the deployment's replication settings, so Boot's
 * {@code KafkaAdmin} creates what is missing and aligns the configs of what exists.
 */
package dev.keyledger.command.topics;
