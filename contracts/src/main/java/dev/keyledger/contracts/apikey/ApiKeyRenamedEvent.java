package dev.keyledger.contracts.apikey;

import org.axonframework.serialization.Revision;

/** A key was renamed. */
@Revision("1")
public record ApiKeyRenamedEvent(String keyId, String organizationId, String name) implements ApiKeyEvent {}
