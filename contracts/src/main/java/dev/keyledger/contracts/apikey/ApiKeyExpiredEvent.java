package dev.keyledger.contracts.apikey;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A key reached its expiry time. */
@Revision("1")
public record ApiKeyExpiredEvent(String keyId, String organizationId, Instant expiredAt) implements ApiKeyEvent {}
