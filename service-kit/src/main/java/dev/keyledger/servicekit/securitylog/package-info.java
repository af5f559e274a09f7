/**
 * The security log's producing side, shared by the command-service and the query-service (decision
 * record 0014): every 401 and 403 of either API becomes a bounded {@code SecurityRefusal} (subject of
 * a verified token only, client address, route template, reason, status, organization) in the
 * {@link dev.keyledger.servicekit.securitylog.RefusalRecorder}, the first filter of both security
 * chains; it is counted in {@code keyledger_security_refusals_total} and put on the bounded queue of
 * the {@link dev.keyledger.servicekit.securitylog.SecurityLog}, which the {@link
 * dev.keyledger.servicekit.securitylog.SecurityLogPublisher} drains onto {@code
 * keyledger.security-log} on its own thread. A full queue or an unreachable broker drops refusals
 * and counts them; a refused request never waits for either. Settings: {@link
 * dev.keyledger.servicekit.securitylog.SecurityLogSettings}. Thread safe.
 */
package dev.keyledger.servicekit.securitylog;
