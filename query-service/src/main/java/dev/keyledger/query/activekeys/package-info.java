/**
 * The compacted {@code keyledger.active-keys} changelog that feeds the edge: one entry per usable key
 * (joined from key, organization and database rows), a tombstone once a key is revoked or expired.
 * It also carries one {@code database:<id>} record per database (its organization and origins), so
 * the edge knows the owner of databases without public keys.
 * Publishing is synchronous (flush and check every acknowledgement) so callers commit only what
 * the broker holds. Thread safe.
 */
package dev.keyledger.query.activekeys;
