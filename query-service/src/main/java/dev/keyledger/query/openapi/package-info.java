/**
 * The OpenAPI document of the read API, served at {@code /v3/api-docs} (springdoc) and committed
 * as {@code docs/openapi/query-service.json}: the bearer-JWT security scheme, the contract's error
 * body, the error responses every operation can give and the {@code {"data": [...]}} envelopes.
 */
package dev.keyledger.query.openapi;
