/**
 * Usage events for every request with a known key, to {@code keyledger.key-usage}: a bounded
 * non-blocking buffer on the request side, one producer thread with an idempotent batching producer
 * on the other. A full buffer drops and counts, it never blocks. Route templates keep the recorded
 * paths bounded.
 */
package dev.keyledger.edge.usage;
