package dev.keyledger.contracts.apikey;

import org.axonframework.serialization.Revision;

/** A key was revoked; it must stop working at once. */
@Revision("1")
public record ApiKeyRevokedEvent(String keyId, String organizationId) implements ApiKeyEvent {}
