/**
 * Periodic background jobs of the query-service (retention, gauges refreshed from the projection).
 * Thread safe: start and stop are synchronized; each job runs on its own daemon thread.
 */
package dev.keyledger.query.scheduling;
