package dev.keyledger.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One entry of a key's history or of an organization's audit log; {@code details} is raw JSON.
 * {@code seq}, {@code prev_hash} and {@code hash} are the entry's place in its organization's hash
 * chain (docs/audit.md); null until the chain reaches it.
 */
record AuditEntry(
        @Schema(
                types = {"integer", "null"},
                format = "int64",
                description = "Position in the organization's history, from 1, assigned when the event was stored")
        Long seq,

        String eventId,
        String aggregateId,
        String aggregateType,
        long sequence,
        String type,
        Instant occurredAt,
        Actor actor,

        @Schema(
                types = "object",
                description = "What changed, by event type (names, origins, expiry; never secret material)")
        @JsonRawValue
        String details,

        @Schema(
                types = {"string", "null"},
                description = "The hash of the entry before this one (64 zeros for seq 1)")
        String prevHash,

        @Schema(
                types = {"string", "null"},
                description = "Lowercase hex SHA-256 of the entry's RFC 8785 canonical JSON without `hash`")
        String hash) {

    /** Who caused the event. */
    @Schema(name = "Actor")
    record Actor(String subject, String ip, String userAgent) {}
}
