/**
 * The compacted {@code keyledger.active-keys} changelog that feeds the edge: one entry per usable key
 * (joined from key, organization and database rows), a tombstone once a key is revoked or expired.
 * It also carries one {@code database:<id>} record per database (its organization and origins), so
 * the edge knows the owner of databases without public keys, and one {@code heartbeat:<partition>}
 * record per partition of {@code keyledger.key-events} ({@code ChangelogHeartbeat}), sent about
 * every second while the projection keeps up. A broker that does not acknowledge throws
 * {@link dev.keyledger.query.activekeys.ChangelogUnavailableException}, never the event's fault.
 * Publishing is synchronous (flush and check every acknowledgement) so callers commit only what
 * the broker holds. Thread safe.
 */
package dev.keyledger.query.activekeys;
