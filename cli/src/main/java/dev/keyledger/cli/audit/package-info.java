/**
 * {@code audit verify} and {@code audit export}. Verification is the contracts module's
 * {@link dev.keyledger.contracts.audit.ExportVerifier} (canonical JSON, hash chain, Ed25519
 * checkpoint), reading the file once as a stream; this package adds where the trusted keys come
 * from (a JWK set file, or a URL), earlier checkpoints, and the progress bar. The export is
 * streamed to {@code FILE.part} and moved into place only once it ended with its checkpoint.
 */
package dev.keyledger.cli.audit;
