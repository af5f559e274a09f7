package dev.keyledger.edge.keys;

import dev.keyledger.contracts.apikey.ApiKeyType;

/**
 * One active key as the hot path needs it, parsed once when its record enters the table. The
 * SHA-256 of the key is held as four longs so the table needs no per-entry array or string for it.
 * Identifiers and origin lists are interned: thousands of keys share one organization's strings.
 * Immutable, so safe to publish to request threads through the table.
 */
public final class KeyEntry {

    final long h0;
    final long h1;
    final long h2;
    final long h3;
    private final String keyId;
    private final ApiKeyType type;
    private final String organizationId;
    private final String databaseId;
    private final long requestsPerMinute;
    private final long requestsPerDay;
    private final AllowedOrigins allowedOrigins;
    private final long expiresAtMillis;

    KeyEntry(
            long[] hash,
            String keyId,
            ApiKeyType type,
            String organizationId,
            String databaseId,
            long requestsPerMinute,
            long requestsPerDay,
            AllowedOrigins allowedOrigins,
            long expiresAtMillis) {
        this.h0 = hash[0];
        this.h1 = hash[1];
        this.h2 = hash[2];
        this.h3 = hash[3];
        this.keyId = keyId;
        this.type = type;
        this.organizationId = organizationId;
        this.databaseId = databaseId;
        this.requestsPerMinute = requestsPerMinute;
        this.requestsPerDay = requestsPerDay;
        this.allowedOrigins = allowedOrigins;
        this.expiresAtMillis = expiresAtMillis;
    }

    boolean hashEquals(long a, long b, long c, long d) {
        return h0 == a && h1 == b && h2 == c && h3 == d;
    }

    public String keyId() {
        return keyId;
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
        return requestsPerMinute;
    }

    public long requestsPerDay() {
        return requestsPerDay;
    }

    public AllowedOrigins allowedOrigins() {
        return allowedOrigins;
    }

    /** Epoch milliseconds after which the key is refused; {@link Long#MAX_VALUE} when it never expires. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }
}
