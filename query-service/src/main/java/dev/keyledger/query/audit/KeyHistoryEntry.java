package dev.keyledger.query.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One entry of a key's history: the audit entry and, in {@code state}, the key as that event left
 * it. {@code state} is an extension where CONTRACT.md is silent; it is null only for an event
 * projected before the temporal projection existed, until the rebuild that Flyway V9 starts.
 */
@Schema(name = "KeyHistoryEntry")
record KeyHistoryEntry(
        @JsonUnwrapped AuditEntry entry,

        @Schema(
                types = {"object", "null"},
                description = "The key's state after this event")
        State state) {

    /** The key after one event: its status, name, expiry and successor then. */
    @Schema(name = "KeyStateAfterEvent")
    record State(
            @Schema(allowableValues = {"active", "revoked", "expired"})
            String status,

            String name,

            @Schema(
                    types = {"string", "null"},
                    format = "date-time",
                    description = "null: never expires")
            Instant expiresAt,

            @Schema(
                    types = {"string", "null"},
                    description = "The successor, once the key was rolled")
            String replacedBy) {}
}
