package dev.keyledger.contracts.apikey;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issues a key. Carries the SHA-256 hash and last four characters, never a secret plaintext;
 * {@code publicKey} is the full value of a public key (public by design) and {@code null} for a
 * secret key. {@code databaseId} is {@code null} for secret keys, {@code replaces} is set when the
 * key succeeds a rolled one. */
public record IssueApiKeyCommand(
        @TargetAggregateIdentifier String keyId,
        String organizationId,
        String databaseId,
        ApiKeyType type,
        String name,
        String keyHash,
        String lastFour,
        String publicKey,
        Instant expiresAt,
        String replaces) {}
