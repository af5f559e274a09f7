package dev.keyledger.command.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A key as the management API returns it. {@code key} is the plaintext, present only in the create
 * and roll responses; {@code replaces} only on a successor.
 */
record ApiKeyResponse(
        String id,
        String type,
        String name,
        String organizationId,
        String databaseId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String key,
        String lastFour,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String replaces) {

    ApiKeyResponse withKey(String plaintext) {
        return new ApiKeyResponse(
                id,
                type,
                name,
                organizationId,
                databaseId,
                plaintext,
                lastFour,
                createdAt,
                createdBy,
                expiresAt,
                replaces);
    }

    /** Never the plaintext: a response object in a log line must not leak the key. */
    @Override
    public String toString() {
        return "ApiKeyResponse[id=" + id + ", type=" + type + ", lastFour=" + lastFour + "]";
    }
}
