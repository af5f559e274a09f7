/**
 * The embedded PostgreSQL server: real PostgreSQL 17 binaries (zonky), a cluster kept in the data
 * directory and never wiped, listening on loopback only with trust authentication for user
 * {@code postgres}. It creates the services' databases when they are missing and stops a
 * postmaster orphaned by a killed standalone before starting its own. Start-up failures are
 * {@link java.io.UncheckedIOException}s or {@link IllegalStateException}s naming the cause. Not meant
 * for concurrent use: started and stopped by one thread.
 */
package dev.keyledger.standalone.postgres;
