package dev.keyledger.query.projection;

/** Where a key is in its life; the column {@code api_keys.status} holds the wire name. */
enum ApiKeyStatus {
    ACTIVE("active"),
    REVOKED("revoked"),
    EXPIRED("expired");

    private final String wireName;

    ApiKeyStatus(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static ApiKeyStatus fromWire(String value) {
        for (ApiKeyStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown key status " + value);
    }
}
