/**
 * The OpenAPI document of the read API, served at {@code /v3/api-docs} (springdoc) and committed
 * as {@code docs/openapi/query-service.json}: this service's texts and the {@code {"data": [...]}}
 * envelopes; the bearer-JWT security scheme, the contract's error body and the error responses
 * every operation can give are {@code dev.keyledger.servicekit.openapi}'s.
 */
package dev.keyledger.query.openapi;
