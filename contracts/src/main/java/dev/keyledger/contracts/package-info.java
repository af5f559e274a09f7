/**
 * What crosses a process boundary in Keyledger: commands and events (one record per file, past
 * tense, {@code @Revision} on every event), the Kafka record schemas and topic names, and the key
 * format. No Spring and no Axon runtime; Axon appears only through its annotations. Everything
 * here is immutable and thread safe.
 */
package dev.keyledger.contracts;
