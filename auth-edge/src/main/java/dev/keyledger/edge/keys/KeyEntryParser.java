package dev.keyledger.edge.keys;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a changelog record into a {@link KeyEntry}, once, interning the strings, origin lists and
 * rate limits that many keys share. Used by the single writer thread only, so its intern pools are plain maps.
 * They grow with the number of distinct organizations, databases and origin lists, which is small
 * next to the number of keys.
 */
public final class KeyEntryParser {

    private final Map<String, String> strings = new HashMap<>();
    private final Map<List<String>, AllowedOrigins> originLists = new HashMap<>();
    private final Map<RateLimits, RateLimits> limits = new HashMap<>();

    /** The entry, or {@code null} when the value cannot be used (it is then skipped and counted). */
    public KeyEntry parse(long[] hash, ActiveKeyEntry value) {
        if (value == null || value.keyId() == null || value.organizationId() == null || value.type() == null) {
            return null;
        }
        ApiKeyType type;
        try {
            type = ApiKeyType.fromWireName(value.type());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (type == ApiKeyType.PUBLIC && value.databaseId() == null) {
            return null;
        }
        long perMinute = value.requestsPerMinute() > 0 ? value.requestsPerMinute() : 0;
        long perDay = value.requestsPerDay() > 0 ? value.requestsPerDay() : 0;
        List<String> origins = origins(value.allowedOrigins());
        AllowedOrigins allowed =
                origins.isEmpty() ? AllowedOrigins.NONE : originLists.computeIfAbsent(origins, AllowedOrigins::new);
        long expires =
                value.expiresAt() == null ? Long.MAX_VALUE : value.expiresAt().toEpochMilli();
        return new KeyEntry(
                hash,
                value.keyId(),
                type,
                intern(value.organizationId()),
                value.databaseId() == null ? null : intern(value.databaseId()),
                limits.computeIfAbsent(new RateLimits(perMinute, perDay), l -> l),
                allowed,
                expires);
    }

    /**
     * The record's origin list without null entries, as an immutable key for the intern pool. Each
     * entry is parsed by {@link AllowedOrigins} with the shared {@code OriginPattern} grammar.
     */
    private static List<String> origins(List<String> raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        // Not raw.contains(null): immutable lists throw on a null argument.
        return raw.stream().anyMatch(Objects::isNull)
                ? raw.stream().filter(Objects::nonNull).toList()
                : List.copyOf(raw);
    }

    private String intern(String value) {
        return strings.computeIfAbsent(value, v -> v);
    }
}
