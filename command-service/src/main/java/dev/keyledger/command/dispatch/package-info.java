/**
 * The one way commands enter Axon: {@link dev.keyledger.command.dispatch.CommandDispatcher} sends a
 * command synchronously with its actor (JWT subject, client address, user agent) as metadata and
 * times it by command type and outcome. Endpoints of every feature and the expiry poller use it, so
 * the command metric has one source and no feature depends on the web layer to send a command.
 * Thread-safe; errors are the aggregates' domain exceptions, passed through unchanged.
 */
package dev.keyledger.command.dispatch;
