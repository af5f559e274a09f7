/**
 * The read API's own connection pool ({@link dev.keyledger.query.datasource.ReadApiDatabase}),
 * apart from the application's primary {@code DataSource} that projections, usage metering, the
 * changelog and Flyway use. Read-API connections carry a statement timeout and an
 * idle-in-transaction timeout, and long-lived result streams (the NDJSON audit log) take one of a
 * bounded number of permits, so slow or stalled API clients can hold at most this pool, never the
 * connections the projections need (docs/reliability.md, "Slow readers"). Thread safe.
 */
package dev.keyledger.query.datasource;
