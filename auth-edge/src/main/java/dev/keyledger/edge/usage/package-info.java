/**
 * Usage of every answered request with a known key, exactly once across a kill -9: request
 * threads append a 16-byte record to a memory-mapped append-only spool before the answer leaves
 * ({@link dev.keyledger.edge.usage.UsageSpool}); one sender thread aggregates the spool per key,
 * minute and outcome and sends numbered reports to {@code keyledger.key-usage}, moving the spool's
 * committed position only after the broker acknowledged them
 * ({@link dev.keyledger.edge.usage.UsageRecorder}). docs/decisions/0008-edge-usage-spool.md.
 */
package dev.keyledger.edge.usage;
