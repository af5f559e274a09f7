package dev.keyledger.contracts.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A key was rolled: {@code successorId} replaces it and it stays valid until {@code expiresAt}. */
@Revision("1")
public record ApiKeyRolledEvent(String keyId, String organizationId, String successorId, Instant expiresAt)
        implements ApiKeyEvent {}
