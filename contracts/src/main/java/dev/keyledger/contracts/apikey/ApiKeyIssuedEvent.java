package dev.keyledger.contracts.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A key was issued. {@code keyHash} is the hex SHA-256 of the whole key; {@code publicKey} is the
 * plaintext of a public key and always {@code null} for a secret key. */
@Revision("1")
public record ApiKeyIssuedEvent(
        String keyId,
        String organizationId,
        String databaseId,
        ApiKeyType type,
        String name,
        String keyHash,
        String lastFour,
        String publicKey,
        Instant expiresAt,
        String replaces)
        implements ApiKeyEvent {}
