/**
 * The owner of every Keyledger topic: declares {@code keyledger.key-events},
 * {@code keyledger.active-keys}, {@code keyledger.key-usage} and {@code keyledger.security-log} from
 * their one declaration in
 * {@code contracts} ({@code KeyledgerTopics}) with the deployment's replication settings, so Boot's
 * {@code KafkaAdmin} creates what is missing and aligns the configs of what exists.
 */
package dev.keyledger.command.topics;
