package dev.keyledger.query.projection;

import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import java.time.Instant;

/**
 * The projected state of one API key. Every field follows from the key's own events (the
 * successor id arrives with the rolled event), so the row never waits for another aggregate.
 */
record ApiKeyRow(
        String id,
        String organizationId,
        String databaseId,
        String type,
        String name,
        String keyHash,
        String publicKey,
        String lastFour,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        String replaces,
        String replacedBy,
        ApiKeyStatus status,
        Instant revokedAt,
        String revokedBy,
        long lastSequence) {

    static ApiKeyRow issued(ApiKeyIssuedEvent event, Instant occurredAt, String actor, long sequence) {
        return new ApiKeyRow(
                event.keyId(),
                event.organizationId(),
                event.databaseId(),
                event.type().wireName(),
                event.name(),
                event.keyHash(),
                event.type() == ApiKeyType.PUBLIC ? event.publicKey() : null,
                event.lastFour(),
                occurredAt,
                actor,
                event.expiresAt(),
                event.replaces(),
                null,
                ApiKeyStatus.ACTIVE,
                null,
                null,
                sequence);
    }

    ApiKeyRow renamed(String newName, long sequence) {
        return new ApiKeyRow(
                id,
                organizationId,
                databaseId,
                type,
                newName,
                keyHash,
                publicKey,
                lastFour,
                createdAt,
                createdBy,
                expiresAt,
                replaces,
                replacedBy,
                status,
                revokedAt,
                revokedBy,
                sequence);
    }

    ApiKeyRow rolled(String successorId, Instant newExpiresAt, long sequence) {
        return new ApiKeyRow(
                id,
                organizationId,
                databaseId,
                type,
                name,
                keyHash,
                publicKey,
                lastFour,
                createdAt,
                createdBy,
                newExpiresAt,
                replaces,
                successorId,
                status,
                revokedAt,
                revokedBy,
                sequence);
    }

    ApiKeyRow revoked(Instant at, String actor, long sequence) {
        return new ApiKeyRow(
                id,
                organizationId,
                databaseId,
                type,
                name,
                keyHash,
                publicKey,
                lastFour,
                createdAt,
                createdBy,
                expiresAt,
                replaces,
                replacedBy,
                ApiKeyStatus.REVOKED,
                at,
                actor,
                sequence);
    }

    ApiKeyRow expired(long sequence) {
        return new ApiKeyRow(
                id,
                organizationId,
                databaseId,
                type,
                name,
                keyHash,
                publicKey,
                lastFour,
                createdAt,
                createdBy,
                expiresAt,
                replaces,
                replacedBy,
                ApiKeyStatus.EXPIRED,
                revokedAt,
                revokedBy,
                sequence);
    }
}
