/**
 * HTTP plumbing shared by the management API: the error JSON and the one place every error becomes
 * it ({@link dev.keyledger.command.web.ApiExceptionHandler}, which maps the domain's {@code
 * DomainRuleViolation} to 400 and {@code UnknownAggregate} to 404), the request body limit, strict
 * JSON and the HTTP settings. Commands are sent by the {@code dispatch} package. Everything here is stateless and thread
 * safe; nothing a client sends may produce a 500. Input rules are not here: they are the value
 * types of {@code contracts.value} and the aggregates' own.
 */
package dev.keyledger.command.web;
