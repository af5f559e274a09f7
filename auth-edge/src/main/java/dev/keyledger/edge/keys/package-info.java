/**
 * The in-memory table of active keys and the follower that fills it from {@code keyledger.active-keys}.
 * One writer thread (the follower) and lock-free readers; entries are immutable and parsed once on
 * arrival. The changelog also carries one {@code database:<id>} record per database, from which the
 * table knows every database's organization (scope check of secret keys), and one
 * {@code heartbeat:<partition>} record per partition of {@code keyledger.key-events}, which feeds
 * the {@link dev.keyledger.edge.keys.ChangelogState} and never the table. Bad records are skipped
 * and counted. The changelog state says whether the table is caught up and fresh (the oldest
 * partition heartbeat younger than the staleness bound); the request path fails closed (503) when
 * it is not.
 */
package dev.keyledger.edge.keys;
