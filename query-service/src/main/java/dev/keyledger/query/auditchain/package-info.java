/**
 * The audit chain around the projection (docs/audit.md, decision record 0009): the one format of
 * an audit entry that the chain hashes and the export serves ({@link
 * dev.keyledger.query.auditchain.AuditEntryFormat}), the checkpoint signing keys read from
 * {@code keyledger.audit.signing.*}, the publication of signed chain heads to
 * {@code keyledger.audit-checkpoints}, and the optional retention of the read models' audit log.
 * The publisher and retention run on the projection lease holder only, each on its own thread;
 * their failures are logged, counted and retried at the next run. The chain itself is computed by
 * the projection (package projection), in its transactions.
 */
package dev.keyledger.query.auditchain;
