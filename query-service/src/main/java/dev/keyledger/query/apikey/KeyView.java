package dev.keyledger.query.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A key as the portal reads it. {@code key} is present only for public keys; a secret key shows
 * only {@code masked} ({@code sk_...} and its last four characters). {@code lastUsedAt} is the time of
 * the latest accepted request (null if none), {@code usageCount} the accepted requests, and
 * {@code ageDays} the whole days since creation.
 *
 * <p>With {@code valid_at} (docs/query-service.md, "Point in time") the view is the key as it was at
 * that instant: name, expiry and successor then, {@code status} {@code active}, {@code ageDays} at
 * that instant, and {@code plan}, {@code limits}, {@code allowedOrigins} and {@code validAt} present;
 * {@code lastUsedAt} and {@code usageCount} stay today's totals (usage is not kept per instant).
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
        long ageDays,

        @Schema(
                description =
                        "Point in time only (`valid_at`): the organization's plan at that instant; absent otherwise")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String plan,

        @Schema(description = "Point in time only (`valid_at`): the organization's plan limits at that instant")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Limits limits,

        @Schema(
                description =
                        "Point in time only (`valid_at`): the allowed origins of the key's database at that instant;"
                                + " absent for a secret key, which no origin may use")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        List<String> allowedOrigins,

        @Schema(
                format = "date-time",
                description = "Point in time only: the `valid_at` instant this view describes, echoed")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Instant validAt) {

    /** A view of the key as it is now (no point-in-time members). */
    KeyView(
            String id,
            String type,
            String name,
            String organizationId,
            String databaseId,
            String key,
            String masked,
            String lastFour,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            String replaces,
            String status,
            Instant revokedAt,
            String revokedBy,
            String replacedBy,
            Instant lastUsedAt,
            long usageCount,
            long ageDays) {
        this(
                id,
                type,
                name,
                organizationId,
                databaseId,
                key,
                masked,
                lastFour,
                createdAt,
                createdBy,
                expiresAt,
                replaces,
                status,
                revokedAt,
                revokedBy,
                replacedBy,
                lastUsedAt,
                usageCount,
                ageDays,
                null,
                null,
                null,
                null);
    }

    /** The rate limits of a plan, per key, in fixed UTC windows. */
    @Schema(name = "RateLimits", description = "The plan's limits per key, in fixed UTC windows")
    record Limits(long requestsPerMinute, long requestsPerDay) {}
}
