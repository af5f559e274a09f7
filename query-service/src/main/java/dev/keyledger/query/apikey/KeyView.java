package dev.keyledger.query.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A key as the portal reads it. {@code key} is present only for public keys; a secret key shows
 * only {@code masked} ({@code sk_...} and its last four characters). {@code lastUsedAt} is the time of
 * the latest accepted request (null if none), {@code usageCount} the accepted requests, and
 * {@code ageDays} the whole days since creation.
 */
record KeyView(
        String id,
        String type,
        String name,
        String organizationId,

        @Schema(
                types = {"string", "null"},
                description = "The database of a public key; null for a secret key")
        String databaseId,

        @Schema(description = "The full `pk_` value: public keys only") @JsonInclude(JsonInclude.Include.NON_NULL)
        String key,

        @Schema(description = "`sk_...` and the last four characters: secret keys only", example = "sk_...abcd")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String masked,

        String lastFour,
        Instant createdAt,
        String createdBy,

        @Schema(
                types = {"string", "null"},
                format = "date-time",
                description = "null: never expires")
        Instant expiresAt,

        @JsonInclude(JsonInclude.Include.NON_NULL) String replaces,

        @Schema(allowableValues = {"active", "revoked", "expired"})
        String status,

        @Schema(
                types = {"string", "null"},
                format = "date-time")
        Instant revokedAt,

        @Schema(
                types = {"string", "null"},
                description = "The subject that revoked it")
        String revokedBy,

        @Schema(
                types = {"string", "null"},
                description = "The successor of a rolled key")
        String replacedBy,

        @Schema(
                types = {"string", "null"},
                format = "date-time",
                description = "The latest accepted request")
        Instant lastUsedAt,

        long usageCount,
        long ageDays) {}
