/**
 * The shared part of the command-service's and the query-service's OpenAPI documents (springdoc,
 * {@code /v3/api-docs}, committed under {@code docs/openapi/}): {@link
 * dev.keyledger.servicekit.openapi.ServiceOpenApiConfiguration} builds the document from the
 * service's {@link dev.keyledger.servicekit.openapi.ApiDescription} (its title, tags and the words
 * for each {@link dev.keyledger.servicekit.openapi.Refusal} it gives) and adds the refusals every
 * operation of a kind can give. Built once at start-up; immutable afterwards.
 */
package dev.keyledger.servicekit.openapi;
