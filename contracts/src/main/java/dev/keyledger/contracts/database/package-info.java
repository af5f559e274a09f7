/**
 * Database connections of an organization and their allowed browser origins: commands and events.
 * Immutable and thread safe.
 */
package dev.keyledger.contracts.database;
