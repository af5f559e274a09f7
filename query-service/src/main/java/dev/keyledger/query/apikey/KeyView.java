package dev.keyledger.query.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        String databaseId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String key,
        @JsonInclude(JsonInclude.Include.NON_NULL) String masked,
        String lastFour,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String replaces,
        String status,
        Instant revokedAt,
        String revokedBy,
        String replacedBy,
        Instant lastUsedAt,
        long usageCount,
        long ageDays) {}
