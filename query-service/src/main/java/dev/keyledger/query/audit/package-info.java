/**
 * Key history and organization audit log over the {@code audit_log} projection, with streaming
 * output for large organizations. Stateless; scope is checked before anything is read, so a stream
 * never starts for a caller who may not read it.
 */
package dev.keyledger.query.audit;
