/**
 * The query-service: projections of {@code keyledger.key-events} ({@code projection}), the
 * {@code keyledger.active-keys} changelog ({@code activekeys}) and the read API ({@code apikey},
 * {@code audit}, {@code database}, {@code security}, {@code web}). See {@code docs/query-service.md}.
 */
package dev.keyledger.query;
