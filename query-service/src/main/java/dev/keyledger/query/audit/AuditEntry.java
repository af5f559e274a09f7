package dev.keyledger.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
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
        @JsonRawValue String details) {

    /** Who caused the event. */
    record Actor(String subject, String ip, String userAgent) {}
}
