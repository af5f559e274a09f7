/**
 * Usage records the edge writes to {@code keyledger.key-usage} and the query-service consumes:
 * one {@link dev.keyledger.contracts.usage.KeyUsageEvent} per request with a known key.
 */
package dev.keyledger.contracts.usage;
