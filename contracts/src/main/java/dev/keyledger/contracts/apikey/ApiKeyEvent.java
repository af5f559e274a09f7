package dev.keyledger.contracts.apikey;

import dev.keyledger.contracts.KeyledgerEvent;

/** Events of the API key aggregate; the key id is the aggregate id. */
public sealed interface ApiKeyEvent extends KeyledgerEvent
        permits ApiKeyIssuedEvent, ApiKeyRenamedEvent, ApiKeyRolledEvent, ApiKeyRevokedEvent, ApiKeyExpiredEvent {

    String keyId();

    @Override
    default String aggregateId() {
        return keyId();
    }
}
