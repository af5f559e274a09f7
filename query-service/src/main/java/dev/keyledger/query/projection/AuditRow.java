package dev.keyledger.query.projection;

import java.time.Instant;

/** One applied event as the history and the audit log show it; {@code details} is a JSON object. */
record AuditRow(
        String aggregateId,
        long sequence,
        String eventId,
        String organizationId,
        String aggregateType,
        String type,
        Instant occurredAt,
        String actorSubject,
        String actorIp,
        String actorUserAgent,
        String details) {}
