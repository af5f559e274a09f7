package dev.keyledger.command.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A key as the management API returns it. {@code key} is the plaintext, present only in the create
 * and roll responses; {@code replaces} only on a successor.
 */
@Schema(name = "ApiKey", description = "An API key; the plaintext `key` only in the answer that created it")
record ApiKeyResponse(
        @Schema(example = "key_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8", requiredMode = Schema.RequiredMode.REQUIRED)
        String id,

        @Schema(
                allowableValues = {"secret", "public"},
                requiredMode = Schema.RequiredMode.REQUIRED)
        String type,

        @Schema(example = "CI", requiredMode = Schema.RequiredMode.REQUIRED)
        String name,

        @Schema(example = "org_01JD8ZQ6Y0V7Q3C5N9K2M4P6R8", requiredMode = Schema.RequiredMode.REQUIRED)
        String organizationId,

        @Schema(
                types = {"string", "null"},
                description = "The database of a public key; null for a secret key",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String databaseId,

        @Schema(
                description = "The plaintext (`sk_...` or `pk_...`): only in the create and roll answers,"
                        + " never again; store it now",
                example = "sk_000000000000000000000000000000000000000000000000000000000000abcd")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String key,

        @Schema(example = "abcd", requiredMode = Schema.RequiredMode.REQUIRED)
        String lastFour,

        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,

        @Schema(
                description = "The JWT subject that created it",
                example = "alice",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String createdBy,

        @Schema(
                types = {"string", "null"},
                format = "date-time",
                description = "When the key stops working; null: never",
                requiredMode = Schema.RequiredMode.REQUIRED)
        Instant expiresAt,

        @Schema(
                description = "The key this one succeeds (roll answers only)",
                example = "key_01JD8ZQ6Y0V7Q3C5N9K2M4P6R7")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String replaces) {

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
