package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.KeyCheck;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.ChangelogState;
import dev.keyledger.edge.keys.KeyEntry;
import dev.keyledger.edge.keys.KeyHashes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The synchronous part of the hot path, cheapest check first: table trusted -> header present ->
 * format and checksum (no lookup for a forged or mistyped key) -> SHA-256 -> one lookup (on a miss,
 * the alphabet of the key's random part, {@link KeyFormatCheck}) -> expiry -> scope (database) ->
 * origin. Returns a {@link Verdict}; throws nothing for any input. The rate
 * limit, which may be remote, is the caller's next step. Thread safe and allocation-light.
 */
public final class Verifier {

    /** Longer origins are refused without comparison; real ones are far shorter. */
    static final int MAX_ORIGIN_LENGTH = 2048;

    static final int MAX_DATABASE_ID_LENGTH = 64;

    /** One thread's buffers for the key's bytes, its hash and the digest: one lookup per request. */
    private static final class Scratch {
        final byte[] bytes = new byte[ApiKeyFormat.KEY_LENGTH];
        final long[] hash = new long[4];
        final KeyHashes.Sha256 sha256 = new KeyHashes.Sha256();
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final ActiveKeyTable table;
    private final ChangelogState state;

    public Verifier(ActiveKeyTable table, ChangelogState state) {
        this.table = table;
        this.state = state;
    }

    /**
     * @param apiKey the single {@code X-API-Key} value, or {@code null} when absent or repeated
     * @param origin the {@code Origin} header, or {@code null}
     * @param databaseHeader the {@code X-Database-Id} header, or {@code null}
     * @param path the canonical request path (a query string is ignored), for its
     *     {@code databases/{db}} pairs of segments
     */
    public Verdict verify(String apiKey, String origin, String databaseHeader, String path, long nowMillis) {
        if (!state.caughtUp() || state.stale(nowMillis)) {
            return Verdict.UNAVAILABLE;
        }
        if (apiKey == null) {
            return Verdict.MISSING;
        }
        Scratch scratch = SCRATCH.get();
        byte[] bytes = scratch.bytes;
        KeyCheck check = KeyFormatCheck.checkBeforeLookup(apiKey, bytes);
        if (check == KeyCheck.MALFORMED) {
            return Verdict.MALFORMED;
        }
        if (check == KeyCheck.BAD_CHECKSUM) {
            return Verdict.BAD_CHECKSUM;
        }
        long[] hash = scratch.hash;
        scratch.sha256.hash(bytes, ApiKeyFormat.KEY_LENGTH, hash);
        KeyEntry entry = table.get(hash[0], hash[1], hash[2], hash[3]);
        if (entry == null || entry.type() != check.type()) {
            // the table holds generated keys only; a miss may still be a key with a bad alphabet
            return KeyFormatCheck.bodyIsBase62(bytes) ? Verdict.UNKNOWN : Verdict.MALFORMED;
        }
        if (nowMillis >= entry.expiresAtMillis()) {
            return Verdict.EXPIRED;
        }
        String requested = requestedDatabase(databaseHeader, path);
        if (requested == CONFLICT) {
            return new Verdict(Outcome.FORBIDDEN_SCOPE, entry, null, null);
        }
        String target;
        if (entry.type() == ApiKeyType.PUBLIC) {
            if (requested != null && !requested.equals(entry.databaseId())) {
                return new Verdict(Outcome.FORBIDDEN_SCOPE, entry, null, null);
            }
            target = entry.databaseId();
        } else {
            if (requested != null && !secretKeyMayUse(entry, requested)) {
                return new Verdict(Outcome.FORBIDDEN_SCOPE, entry, null, null);
            }
            target = requested;
        }
        if (entry.type() == ApiKeyType.SECRET) {
            if (origin != null) {
                return new Verdict(Outcome.FORBIDDEN_ORIGIN, entry, target, null);
            }
        } else if (origin == null
                || origin.length() > MAX_ORIGIN_LENGTH
                || !entry.allowedOrigins().allows(origin)) {
            return new Verdict(Outcome.FORBIDDEN_ORIGIN, entry, target, null);
        }
        return new Verdict(Outcome.VERIFIED, entry, target, null);
    }

    /**
     * A secret key may name any database of its organization. The edge knows a database's
     * organization from the changelog's database records (and its public keys); a database it does
     * not know is refused, because the edge cannot prove it belongs to the key's organization
     * (docs/auth-edge.md).
     */
    private boolean secretKeyMayUse(KeyEntry entry, String databaseId) {
        if (!wellFormedDatabaseId(databaseId)) {
            return false;
        }
        String owner = table.organizationOfDatabase(databaseId);
        return owner != null && owner.equals(entry.organizationId());
    }

    static boolean wellFormedDatabaseId(String id) {
        if (id.length() <= 3 || id.length() > MAX_DATABASE_ID_LENGTH || !id.startsWith("db_")) {
            return false;
        }
        for (int i = 3; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every database the request names: the {@code X-Database-Id} header and the segment after each
     * {@code databases} segment of the (canonical) path, that segment in any letter case and with
     * trailing dots ignored (an upstream may route case-insensitively, or trim dots); the id itself
     * is taken exactly. Returns the one named database, {@code null} for none, or {@link #CONFLICT}
     * when two differ (CONTRACT.md "Target database"). No allocation unless the path names one.
     */
    static String requestedDatabase(String header, String path) {
        String named = header;
        if (path == null) {
            return named;
        }
        int length = path.length();
        int start = 1;
        boolean afterDatabases = false;
        for (int i = 1; i <= length; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c == '?' || c == '#') {
                c = '/';
                length = i;
            }
            if (c != '/') {
                continue;
            }
            if (afterDatabases && i > start) {
                if (named == null) {
                    named = path.substring(start, i);
                } else if (named.length() != i - start || !named.regionMatches(0, path, start, i - start)) {
                    return CONFLICT;
                }
            }
            afterDatabases = isDatabasesSegment(path, start, i);
            start = i + 1;
        }
        return named;
    }

    /** Sentinel of {@link #requestedDatabase}: compared by identity. */
    static final String CONFLICT = new String("two different databases");

    private static final String DATABASES = "databases";

    private static boolean isDatabasesSegment(String path, int start, int end) {
        while (end > start && path.charAt(end - 1) == '.') {
            end--;
        }
        if (end - start == DATABASES.length()) {
            return path.regionMatches(true, start, DATABASES, 0, DATABASES.length());
        }
        // Escaped non-ASCII that some upstream's case folding maps onto ASCII: "databa%C5%BFes"
        // (U+017F, long s) equalsIgnoreCase "databases" in Java. Rare, so decoding here is cheap.
        if (end - start > DATABASES.length() && end - start <= 64 && path.indexOf('%', start) >= 0) {
            String decoded = decodedSegment(path, start, end);
            return decoded != null
                    && (decoded.equalsIgnoreCase(DATABASES)
                            || decoded.toUpperCase(Locale.ROOT).equals("DATABASES")
                            || decoded.toLowerCase(Locale.ROOT).equals(DATABASES));
        }
        return false;
    }

    private static String decodedSegment(String path, int start, int end) {
        String segment = path.substring(start, end);
        if (segment.indexOf('+') >= 0) {
            return null; // URLDecoder would read '+' as a space; no such folding exists
        }
        try {
            return URLDecoder.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** The first database the path names, or {@code null} (tests and tools; the decision uses {@link #requestedDatabase}). */
    static String databaseInPath(String path) {
        String named = requestedDatabase(null, path);
        return named == CONFLICT ? null : named;
    }

    public ChangelogState state() {
        return state;
    }
}
