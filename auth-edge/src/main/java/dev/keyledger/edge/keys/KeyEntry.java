package dev.keyledger.edge.keys;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.PackedKeyId;

/**
 * One active key as the hot path needs it, parsed once when its record enters the table. The
 * SHA-256 of the key is held as four longs and the key id as the two longs of its ULID
 * ({@link PackedKeyId}), so the entry needs no array or string of its own. Organization and
 * database ids, origin lists and rate limits are interned: thousands of keys share one
 * organization's. The entry is 96 bytes; with its table slot and the intern pools a key costs about
 * 108 (docs/benchmarks-edge.md, "Memory per active key"). An id that is not canonical is kept as
 * text and costs its string besides. Immutable, so safe to publish to request threads through the
 * table.
 */
public final class KeyEntry {

    final long h0;
    final long h1;
    final long h2;
    final long h3;
    private final long idHigh;
    private final long idLow;
    /** The key id's text when it is not a canonical ULID id; {@code null} when it is packed. */
    private final String unpackedId;

    private final ApiKeyType type;
    private final String organizationId;
    private final String databaseId;
    private final RateLimits limits;
    private final AllowedOrigins allowedOrigins;
    private final long expiresAtMillis;

    KeyEntry(
            long[] hash,
            String keyId,
            ApiKeyType type,
            String organizationId,
            String databaseId,
            RateLimits limits,
            AllowedOrigins allowedOrigins,
            long expiresAtMillis) {
        this.h0 = hash[0];
        this.h1 = hash[1];
        this.h2 = hash[2];
        this.h3 = hash[3];
        long[] packed = new long[2];
        if (PackedKeyId.pack(keyId, packed)) {
            this.idHigh = packed[0];
            this.idLow = packed[1];
            this.unpackedId = null;
        } else {
            this.idHigh = 0;
            this.idLow = 0;
            this.unpackedId = keyId;
        }
        this.type = type;
        this.organizationId = organizationId;
        this.databaseId = databaseId;
        this.limits = limits;
        this.allowedOrigins = allowedOrigins;
        this.expiresAtMillis = expiresAtMillis;
    }

    boolean hashEquals(long a, long b, long c, long d) {
        return h0 == a && h1 == b && h2 == c && h3 == d;
    }

    /**
     * The key id's text. Rendered from its two longs on each call (a 30-character string): a
     * request takes it once ({@code Verdict#keyId}).
     */
    public String keyId() {
        return unpackedId != null ? unpackedId : PackedKeyId.render(idHigh, idLow);
    }

    /** The key id's packed form, or {@code null} when the id has none (the entry keeps its text). */
    public PackedKeyId packedId() {
        return unpackedId != null ? null : new PackedKeyId(idHigh, idLow);
    }

    /** True when this is the key {@code id}, compared without rendering. */
    public boolean hasKeyId(String id) {
        return unpackedId != null ? unpackedId.equals(id) : PackedKeyId.matches(id, idHigh, idLow);
    }

    public ApiKeyType type() {
        return type;
    }

    public String organizationId() {
        return organizationId;
    }

    /** The key's database for a public key; {@code null} for a secret key. */
    public String databaseId() {
        return databaseId;
    }

    public long requestsPerMinute() {
        return limits.perMinute();
    }

    public long requestsPerDay() {
        return limits.perDay();
    }

    public AllowedOrigins allowedOrigins() {
        return allowedOrigins;
    }

    /** Epoch milliseconds after which the key is refused; {@link Long#MAX_VALUE} when it never expires. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }
}
