/**
 * The tamper-evident audit export (CONTRACT.md, "Audit and history"; docs/audit.md): RFC 8785
 * canonical JSON ({@link dev.keyledger.contracts.audit.CanonicalJson}), the entry hash chain
 * ({@link dev.keyledger.contracts.audit.AuditChain}), the Ed25519-signed checkpoint
 * ({@link dev.keyledger.contracts.audit.AuditCheckpoint}), signing keys and the JWK set of their
 * public halves, and the offline verifier ({@link dev.keyledger.contracts.audit.ExportVerifier}).
 * JDK and Jackson only: the query-service writes exports with it, the CLI verifies them with it.
 * Values are immutable; the hashing and verifying objects reuse buffers and are one per thread.
 * Bad input is an {@link java.lang.IllegalArgumentException} or a verification failure, never
 * silently accepted.
 */
package dev.keyledger.contracts.audit;
