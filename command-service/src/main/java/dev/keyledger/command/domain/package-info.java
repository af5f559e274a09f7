/**
 * The domain's own error model, shared by every feature and known to no HTTP code: {@link
 * dev.keyledger.command.domain.DomainRuleViolation} (a value breaks a rule; the web layer answers
 * 400 VALIDATION_FAILED with the violations as {@code details}) and {@link
 * dev.keyledger.command.domain.UnknownAggregate} (no such organization, database or key, or one of
 * another organization; answered 404 alike so that ids of other tenants cannot be probed). A wrong
 * state is a plain {@link java.lang.IllegalStateException} (409). Aggregates and directories throw
 * these; the mapping to HTTP lives only in {@code command.web}. Stateless.
 */
package dev.keyledger.command.domain;
