/**
 * The OpenAPI document of the management API, served at {@code /v3/api-docs} (springdoc) and
 * committed as {@code docs/openapi/command-service.json}: this service's texts; the bearer-JWT
 * security scheme, the contract's error body and the error responses every operation can give are
 * {@code dev.keyledger.servicekit.openapi}'s.
 */
package dev.keyledger.command.openapi;
