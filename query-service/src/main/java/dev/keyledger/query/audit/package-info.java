/**
 * Key history, the organization audit log and its signed export over the {@code audit_log}
 * projection, with streaming output for large organizations, and the public keys of the export's
 * checkpoints. Stateless; scope is checked before anything is read, so a stream never starts for a
 * caller who may not read it.
 */
package dev.keyledger.query.audit;
