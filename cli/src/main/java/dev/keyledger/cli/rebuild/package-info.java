/**
 * {@code rebuild}: starts a read-model rebuild through the query-service's rebuild API and follows
 * it by polling, with a progress bar on stderr; the final state is the exit code.
 */
package dev.keyledger.cli.rebuild;
