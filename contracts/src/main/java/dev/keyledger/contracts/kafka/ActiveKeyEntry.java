package dev.keyledger.contracts.kafka;

import java.time.Instant;
import java.util.List;

/**
 * The value of a record on {@link Topics#ACTIVE_KEYS}: everything the edge needs to decide on a
 * request in one lookup. The record key is the hex SHA-256 of the API key; a revoked or expired
 * key is a tombstone (null value). {@code databaseId} is {@code null} for secret keys and
 * {@code allowedOrigins} is empty for them; {@code expiresAt} is {@code null} for keys that do not
 * expire.
 */
public record ActiveKeyEntry(
        String keyId,
        String type,
        String organizationId,
        String databaseId,
        String plan,
        long requestsPerMinute,
        long requestsPerDay,
        List<String> allowedOrigins,
        Instant expiresAt) {}
