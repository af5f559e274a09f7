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
 * database ownership are concurrent maps maintained by the same writer.
 *
 * <p>Database ownership comes from two sources: the database records of the changelog
 * ({@code database:<id>}, kept until the database is deleted and its record becomes a tombstone) and,
 * as a fallback for a database whose record has not arrived yet, its active public keys.
 *
 * <p>A key revoked ahead of the changelog ({@link #revoke}, from {@code keyledger.key-events},
 * decision 0019) is remembered until the changelog's own tombstone for it arrives: an entry for it
 * read before that tombstone is an older state (published before the revocation was projected)
 * and is not put back. The memory is bounded by {@code revokedAheadRetention} and
 * {@value #REVOKED_AHEAD_LIMIT} hashes; past either, a hash is forgotten, and the changelog's
 * tombstone still follows.
 */
public final class ActiveKeyTable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(KeyEntry[].class);
    private static final KeyEntry TOMBSTONE =
            new KeyEntry(new long[4], "", null, "", null, 0, 0, AllowedOrigins.NONE, 0);
    private static final int MIN_CAPACITY = 1024;
    static final int REVOKED_AHEAD_LIMIT = 100_000;

    private record Hash(long h0, long h1, long h2, long h3) {}

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

    /** Hashes revoked ahead of the changelog -> when they are forgotten (nanoTime); oldest first. */
    private final LinkedHashMap<Hash, Long> revokedAhead = new LinkedHashMap<>();

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
        if (!revokedAhead.isEmpty() && revokedAhead.containsKey(new Hash(entry.h0, entry.h1, entry.h2, entry.h3))) {
            return false;
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

    /**
     * The changelog's tombstone: removes the entry for a hash, if any, and tells whether there was
     * one. A key revoked ahead of the changelog is forgotten: nothing older can follow its tombstone.
     */
    public synchronized boolean remove(long[] hash) {
        if (!revokedAhead.isEmpty()) {
            revokedAhead.remove(new Hash(hash[0], hash[1], hash[2], hash[3]));
        }
        return removeEntry(hash);
    }

    /**
     * A revocation read ahead of the changelog (decision 0019): removes the entry for a hash, if any,
     * tells whether there was one, and holds back any entry for it until the changelog's tombstone.
     */
    public synchronized boolean revoke(long[] hash) {
        long now = System.nanoTime();
        Iterator<Map.Entry<Hash, Long>> oldest = revokedAhead.entrySet().iterator();
        while (oldest.hasNext()) {
            Map.Entry<Hash, Long> next = oldest.next();
            if (revokedAhead.size() < REVOKED_AHEAD_LIMIT && next.getValue() - now > 0) {
                break;
            }
            oldest.remove();
        }
        Hash key = new Hash(hash[0], hash[1], hash[2], hash[3]);
        revokedAhead.remove(key);
        revokedAhead.put(key, now + revokedAheadRetentionNanos);
        return removeEntry(hash);
    }

    /** Hashes revoked ahead of the changelog whose tombstone has not come yet. */
    public synchronized int revokedAheadCount() {
        return revokedAhead.size();
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
