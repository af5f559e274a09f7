/**
 * The security log's consuming side (decision record 0014): {@link
 * dev.keyledger.query.securitylog.SecurityLogIngest} reads the refusals both services publish on
 * {@code keyledger.security-log} (service kit, {@code dev.keyledger.servicekit.securitylog}) into the
 * {@code security_log} table (Flyway V11), {@link dev.keyledger.query.securitylog.SecurityLogRetention}
 * keeps it within its retention and row bound and measures the busiest organization for the burst
 * alert, and {@link dev.keyledger.query.securitylog.SecurityLogController} serves {@code GET
 * /api/v1/security-log} to platform admins. Settings: {@link
 * dev.keyledger.query.securitylog.SecurityLogProperties}. Thread safe; bad parameters are 400, other
 * callers 403.
 */
package dev.keyledger.query.securitylog;
