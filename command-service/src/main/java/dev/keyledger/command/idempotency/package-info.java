/**
 * Idempotency-Key on the management API's POSTs, with Stripe's semantics (decision record 0013,
 * docs/command-service.md "Idempotency"): the same key and body from the same caller within 24
 * hours answer the first 2xx status and object again, with {@code "replayed": true} and without
 * the {@code key} member (a key's plaintext is never stored); another body is 409.
 *
 * <p>It owns the table {@code idempotency_key} (migration V6) and one servlet filter after Spring
 * Security; no controller knows about it. The filter runs each such request in one database
 * transaction that claims the key, carries the request's events and stores the answer, so the
 * answer and the work commit together or not at all; concurrent requests with the same key
 * serialise on the claimed row in PostgreSQL (across instances too), and a request that fails or
 * whose process dies leaves nothing behind.
 *
 * <p>Thread safety: the filter and the store are stateless beyond their collaborators. Errors: a
 * malformed header is 400 {@code VALIDATION_FAILED}; a reused key with another request, or a key
 * still in use past the lock timeout, is 409 {@code CONFLICT}; a failed commit is 503 and leaves
 * the key free.
 */
package dev.keyledger.command.idempotency;
