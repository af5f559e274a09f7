/**
 * {@code keys valid-at} and {@code keys history}: reads of the query-service printed as tables (or
 * the raw JSON with {@code --json}). Members a given service version does not send print as "-".
 */
package dev.keyledger.cli.keys;
