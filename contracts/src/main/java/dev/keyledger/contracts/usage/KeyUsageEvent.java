package dev.keyledger.contracts.usage;

import java.time.Instant;

/**
 * The value of a record on {@code keyledger.key-usage}: one request that presented a known key,
 * accepted or rejected. The record key is {@link #keyId()}, so all usage of a key lands on one
 * partition in order. {@code route} is a bounded template such as
 * {@code /api/v1/databases/{db}/items/{id}}, never a raw path, so it is safe to aggregate on.
 * {@code databaseId} is the database the request targeted, or {@code null} when a secret key named
 * none. {@code latencyMicros} is the time the edge spent on the request, upstream included in
 * proxy mode.
 */
public record KeyUsageEvent(
        String eventId,
        Instant occurredAt,
        String keyId,
        String organizationId,
        String databaseId,
        String keyType,
        UsageOutcome outcome,
        String method,
        String route,
        int status,
        long latencyMicros) {}
