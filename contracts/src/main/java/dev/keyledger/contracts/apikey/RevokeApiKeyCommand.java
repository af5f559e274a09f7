package dev.keyledger.contracts.apikey;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Revokes a key at once. Revoking a revoked key changes nothing. {@code reason} is optional (a
 * single revocation through DELETE has none; an emergency revoke-all carries the caller's), a
 * {@link dev.keyledger.contracts.value.Reason}.
 */
public record RevokeApiKeyCommand(@TargetAggregateIdentifier String keyId, String organizationId, String reason) {

    public RevokeApiKeyCommand(String keyId, String organizationId) {
        this(keyId, organizationId, null);
    }
}
