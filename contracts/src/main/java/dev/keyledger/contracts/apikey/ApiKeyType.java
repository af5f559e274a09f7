package dev.keyledger.contracts.apikey;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The two kinds of API key. The prefix is part of the key and of its checksum, so a secret key
 * cannot be turned into a public one by editing its first letter.
 */
public enum ApiKeyType {
    /** Organization-wide, server-side only, shown once. */
    SECRET("sk_", "secret"),
    /** Bound to one database, embeddable in a browser, accepted only from allowed origins. */
    PUBLIC("pk_", "public");

    private final String prefix;
    private final String wireName;

    ApiKeyType(String prefix, String wireName) {
        this.prefix = prefix;
        this.wireName = wireName;
    }

    public String prefix() {
        return prefix;
    }

    /** The value used in JSON bodies and headers: {@code secret} or {@code public}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ApiKeyType fromWireName(String wireName) {
        for (ApiKeyType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown key type: " + wireName);
    }
}
