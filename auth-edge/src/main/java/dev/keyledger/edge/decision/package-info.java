/**
 * The per-request decision: the synchronous {@link dev.keyledger.edge.decision.Verifier} (format,
 * hash, lookup, expiry, scope, origin) and the {@link dev.keyledger.edge.decision.Gatekeeper} that
 * adds the rate limit and records metrics. Outcomes are values of
 * {@link dev.keyledger.edge.decision.Outcome}, never exceptions. Stateless apart from metrics;
 * thread safe.
 */
package dev.keyledger.edge.decision;
