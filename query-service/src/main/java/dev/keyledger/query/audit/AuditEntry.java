package dev.keyledger.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One entry of a key's history or of an organization's audit log; {@code details} is raw JSON. */
record AuditEntry(
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
        String details) {

    /** Who caused the event. */
    @Schema(name = "Actor")
    record Actor(String subject, String ip, String userAgent) {}
}
