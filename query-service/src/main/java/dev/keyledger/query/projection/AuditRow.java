package dev.keyledger.query.projection;

import java.time.Instant;

/**
 * One applied event as the history and the audit log show it; {@code details} is a JSON object.
 * {@code seq} is the event's position in its organization's history ({@code null} for a record
 * relayed before the command side numbered events).
 */
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
        String details,
        Long seq) {}
