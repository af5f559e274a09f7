package dev.keyledger.edge.keys;

import dev.keyledger.contracts.value.OriginPattern;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory table of active keys, keyed by the SHA-256 of the key. An open-addressing table
 * (linear probing) over one array of entries, because a general map would spend more on nodes and
 * boxed keys than the entries themselves cost: the target is at most 300 bytes per key.
 *
 * <p>Thread safety: exactly one writer (the changelog follower) and any number of lock-free
 * readers. Slots are written with release and read with acquire semantics; removal leaves a
 * tombstone, so a concurrent reader never misses an entry that a removal moved. A resize builds a
 * new array and publishes it through a volatile field. The side indexes for preflight requests and
 * database ownership are concurrent maps maintained by the same writer.
 *
 * <p>Database ownership comes from two sources: the database records of the changelog
 * ({@code database:<id>}, kept until the database is deleted and its record becomes a tombstone) and,
 * as a fallback for a database whose record has not arrived yet, its active public keys.
 */
public final class ActiveKeyTable {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(KeyEntry[].class);
    private static final KeyEntry TOMBSTONE =
            new KeyEntry(new long[4], "", null, "", null, 0, 0, AllowedOrigins.NONE, 0);
    private static final int MIN_CAPACITY = 1024;

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

    /** Inserts or replaces an entry. Writer thread only. */
    public void put(KeyEntry entry) {
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
                return;
            }
            if (current == TOMBSTONE) {
                if (firstFree < 0) {
                    firstFree = i;
                }
            } else if (current.hashEquals(entry.h0, entry.h1, entry.h2, entry.h3)) {
                SLOT.setRelease(table, i, entry);
                indexRemoved(current);
                indexAdded(entry);
                return;
            }
        }
    }

    /** Removes the entry for a hash, if any, and tells whether there was one. Writer thread only. */
    public boolean remove(long[] hash) {
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

    /** Records which organization owns a database (a database record). Writer thread only. */
    public void putDatabase(String databaseId, String organizationId) {
        databaseOwners.put(databaseId, organizationId);
    }

    /** Forgets a database record (the tombstone of a deleted database). Writer thread only. */
    public void removeDatabase(String databaseId) {
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
