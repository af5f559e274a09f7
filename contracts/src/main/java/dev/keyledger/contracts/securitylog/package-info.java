/**
 * The records of refused calls that the command-service and the query-service publish on {@code
 * keyledger.security-log} and the query-service stores for the security log (decision record 0014):
 * {@link dev.keyledger.contracts.securitylog.SecurityRefusal}, with the bounds every field is held
 * to, and the closed set of {@link dev.keyledger.contracts.securitylog.RefusalReason}s. Immutable
 * and thread safe.
 */
package dev.keyledger.contracts.securitylog;
