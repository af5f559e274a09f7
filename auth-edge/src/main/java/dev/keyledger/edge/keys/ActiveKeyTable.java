package dev.keyledger.edge.keys;

import dev.keyledger.contracts.value.OriginPattern;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory table of active keys, keyed by the SHA-256 of the key. An open-addressing table
 * (linear probing) over one array of entries, because a general map would spend more on nodes and
 * boxed keys than the entries themselves cost: the target is at most 300 bytes per key.
 *
 * <p>Thread safety: writers (the changelog follower and the revocation listener) take this table's
 * lock, readers take none. Slots are written with release and read with acquire semantics; removal leaves a
 * tombstone, so a concurrent reader never misses an entry that a removal moved. A resize builds a
 * new array and publishes it through a volatile field. The side indexes for preflight requests and
 * database ownership are concurrent maps maintained under the same lock.
 *
 * <p>Database ownership comes from two sources: the database records of the changelog
 * ({@code database:<id>}, kept until the database is deleted and its record becomes a tombstone) and,
 * as a fallback for a database whose record has not arrived yet, its active public keys.
 *
 * <p>A key revoked ahead of the changelog ({@link #revoke}, from {@code keyledger.key-events},
 * decision 0019) is remembered with its key id: a revocation is final and a key's hash is never
 * reused, so any entry for that hash and key id read afterwards is an older state (published
 * before the revocation was projected, or by a suspension's reactivation that crossed it) and is
 * not put back. A tombstone does not end this: tombstones of suspensions and the projection's early
 * tombstones can precede such an entry. The memory is bounded by {@code revokedAheadRetention}
 * (longer than the read side can lag without this edge failing closed on stale heartbeats) and
 * {@value #REVOKED_AHEAD_LIMIT} hashes, oldest forgotten first.
 */
public final class ActiveKeyTable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(KeyEntry[].class);
    private static final KeyEntry TOMBSTONE =
            new KeyEntry(new long[4], "", null, "", null, RateLimits.NONE, AllowedOrigins.NONE, 0);
    private static final int MIN_CAPACITY = 1024;
    static final int REVOKED_AHEAD_LIMIT = 100_000;

    private record Hash(long h0, long h1, long h2, long h3) {}

    private record Revoked(String keyId, long forgetAtNanos) {}

    private volatile KeyEntry[] slots = new KeyEntry[MIN_CAPACITY];
    private volatile int size;
    private int tombstones;

    /** Origin (or {@code https://*.suffix} pattern) -> number of entries that allow it. */
    private final ConcurrentHashMap<String, Integer> originCounts = new ConcurrentHashMap<>();
    /** Database id -> organization id, learnt from public keys; with a count of keys per database. */
    private final ConcurrentHashMap<String, String> databaseOrganizations = new ConcurrentHashMap<>();

    private final Map<String, Integer> databaseKeyCounts = new HashMap<>();

    /** Database id -> organization id, from the changelog's database records; independent of keys. */
    private final ConcurrentHashMap<String, String> databaseOwners = new ConcurrentHashMap<>();

    /** Hashes revoked ahead of the changelog -> their key id and when they are forgotten; oldest first. */
    private final LinkedHashMap<Hash, Revoked> revokedAhead = new LinkedHashMap<>();

    private long revokedAheadEvicted;

    private final long revokedAheadRetentionNanos;

    public ActiveKeyTable() {
        this(Duration.ofHours(1));
    }

    public ActiveKeyTable(Duration revokedAheadRetention) {
        this.revokedAheadRetentionNanos = revokedAheadRetention.toNanos();
    }

    /** The entry for a hash, or {@code null}. Lock free. */
    public KeyEntry get(long h0, long h1, long h2, long h3) {
        KeyEntry[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) h0 & mask; ; i = (i + 1) & mask) {
            KeyEntry entry = (KeyEntry) SLOT.getAcquire(table, i);
            if (entry == null) {
                return null;
            }
            if (entry != TOMBSTONE && entry.hashEquals(h0, h1, h2, h3)) {
                return entry;
            }
        }
    }

    public int size() {
        return size;
    }

    /**
     * Inserts or replaces an entry, and tells whether it did: an entry for a key revoked ahead of
     * the changelog is an older state and is not put.
     */
    public synchronized boolean put(KeyEntry entry) {
        if (!revokedAhead.isEmpty()) {
            Revoked revoked = revokedAhead.get(new Hash(entry.h0, entry.h1, entry.h2, entry.h3));
            if (revoked != null && entry.hasKeyId(revoked.keyId())) {
                return false;
            }
        }
        ensureCapacity();
        KeyEntry[] table = slots;
        int mask = table.length - 1;
        int firstFree = -1;
        for (int i = (int) entry.h0 & mask; ; i = (i + 1) & mask) {
            KeyEntry current = table[i];
            if (current == null) {
                int target = firstFree >= 0 ? firstFree : i;
                if (firstFree >= 0) {
                    tombstones--;
                }
                SLOT.setRelease(table, target, entry);
                size = size + 1;
                indexAdded(entry);
                return true;
            }
            if (current == TOMBSTONE) {
                if (firstFree < 0) {
                    firstFree = i;
                }
            } else if (current.hashEquals(entry.h0, entry.h1, entry.h2, entry.h3)) {
                SLOT.setRelease(table, i, entry);
                indexRemoved(current);
                indexAdded(entry);
                return true;
            }
        }
    }

    /** The changelog's tombstone: removes the entry for a hash, if any, and tells whether there was one. */
    public synchronized boolean remove(long[] hash) {
        return removeEntry(hash);
    }

    /**
     * A revocation read ahead of the changelog (decision 0019): removes the entry for a hash if it
     * is the key {@code keyId}, tells whether it did, and holds back any later entry for that hash
     * and key id. A hash whose entry is another key's (a revocation that does not match its key)
     * removes nothing.
     */
    public synchronized boolean revoke(long[] hash, String keyId) {
        long now = System.nanoTime();
        Iterator<Map.Entry<Hash, Revoked>> oldest = revokedAhead.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Hash, Revoked> next = oldest.next();
            boolean full = revokedAhead.size() >= REVOKED_AHEAD_LIMIT;
            if (!full && next.getValue().forgetAtNanos() - now > 0) {
                break;
            }
            if (full) {
                revokedAheadEvicted++;
            }
            oldest.remove();
        }
        Hash key = new Hash(hash[0], hash[1], hash[2], hash[3]);
        revokedAhead.remove(key);
        revokedAhead.put(key, new Revoked(keyId, now + revokedAheadRetentionNanos));
        KeyEntry current = get(hash[0], hash[1], hash[2], hash[3]);
        return current != null && current.hasKeyId(keyId) && removeEntry(hash);
    }

    /** Keys revoked ahead of the changelog that this table still holds back. */
    public synchronized int revokedAheadCount() {
        return revokedAhead.size();
    }

    /** Revoked-ahead keys forgotten before their retention because {@value #REVOKED_AHEAD_LIMIT} were held. */
    public synchronized long revokedAheadEvicted() {
        return revokedAheadEvicted;
    }

    private boolean removeEntry(long[] hash) {
        KeyEntry[] table = slots;
        int mask = table.length - 1;
        for (int i = (int) hash[0] & mask; ; i = (i + 1) & mask) {
            KeyEntry current = table[i];
            if (current == null) {
                return false;
            }
            if (current != TOMBSTONE && current.hashEquals(hash[0], hash[1], hash[2], hash[3])) {
                SLOT.setRelease(table, i, TOMBSTONE);
                size = size - 1;
                tombstones++;
                indexRemoved(current);
                return true;
            }
        }
    }

    /**
     * True when some active key's database allows this origin: the test for a preflight request.
     * The index holds canonical {@link OriginPattern} values, so an
     * exact origin is one lookup and a wildcard one more, for the one pattern that could cover it.
     */
    public boolean anyDatabaseAllows(String origin) {
        if (origin == null || origin.indexOf('*') >= 0) {
            return false; // a pattern is not an origin: "https://*.x.com" itself must not match
        }
        if (originCounts.containsKey(origin)) {
            return true;
        }
        String wildcard = OriginPattern.coveringWildcard(origin);
        return wildcard != null && originCounts.containsKey(wildcard);
    }

    /**
     * The organization owning a database, or {@code null} when the edge does not know the database:
     * from its database record, else from its active public keys. Lock free.
     */
    public String organizationOfDatabase(String databaseId) {
        String owner = databaseOwners.get(databaseId);
        return owner != null ? owner : databaseOrganizations.get(databaseId);
    }

    /** Records which organization owns a database (a database record). */
    public synchronized void putDatabase(String databaseId, String organizationId) {
        databaseOwners.put(databaseId, organizationId);
    }

    /** Forgets a database record (the tombstone of a deleted database). */
    public synchronized void removeDatabase(String databaseId) {
        databaseOwners.remove(databaseId);
    }

    /** Number of databases known from database records. */
    public int databaseCount() {
        return databaseOwners.size();
    }

    private void indexAdded(KeyEntry entry) {
        for (String origin : entry.allowedOrigins().source()) {
            originCounts.merge(origin, 1, Integer::sum);
        }
        if (entry.databaseId() != null) {
            databaseKeyCounts.merge(entry.databaseId(), 1, Integer::sum);
            databaseOrganizations.put(entry.databaseId(), entry.organizationId());
        }
    }

    private void indexRemoved(KeyEntry entry) {
        for (String origin : entry.allowedOrigins().source()) {
            originCounts.computeIfPresent(origin, (k, n) -> n == 1 ? null : n - 1);
        }
        if (entry.databaseId() != null) {
            Integer left = databaseKeyCounts.computeIfPresent(entry.databaseId(), (k, n) -> n == 1 ? null : n - 1);
            if (left == null) {
                databaseOrganizations.remove(entry.databaseId());
            }
        }
    }

    private void ensureCapacity() {
        KeyEntry[] table = slots;
        if ((size + tombstones + 1) * 4L <= table.length * 3L) {
            return;
        }
        int capacity = table.length;
        while ((size + 1) * 2L > capacity) {
            capacity <<= 1;
        }
        KeyEntry[] resized = new KeyEntry[capacity];
        int mask = capacity - 1;
        for (KeyEntry entry : table) {
            if (entry != null && entry != TOMBSTONE) {
                int i = (int) entry.h0 & mask;
                while (resized[i] != null) {
                    i = (i + 1) & mask;
                }
                resized[i] = entry;
            }
        }
        tombstones = 0;
        slots = resized;
    }
}
