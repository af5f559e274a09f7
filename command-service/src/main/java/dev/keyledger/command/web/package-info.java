/**
 * HTTP plumbing shared by the management API: the error JSON and the one place every error becomes
 * it ({@link dev.keyledger.command.web.ApiExceptionHandler}), the request body limit, input
 * validation helpers, and {@link dev.keyledger.command.web.CommandDispatcher}, which sends every
 * command with the caller as metadata and records the command metrics. Everything here is
 * stateless and thread safe. Bad input is a {@link dev.keyledger.command.web.ValidationException}
 * (400); nothing a client sends may produce a 500.
 */
package dev.keyledger.command.web;
