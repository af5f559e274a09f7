/**
 * The compacted {@code keyledger.active-keys} changelog that feeds the edge: one entry per usable key
 * (joined from key, organization and database rows), a tombstone once a key is revoked or expired.
 * Publishing is synchronous (flush and check every acknowledgement) so callers commit only what
 * the broker holds. Thread safe.
 */
package dev.keyledger.query.activekeys;
