package dev.keyledger.command.apikey;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.contracts.apikey.RevokeApiKeyCommand;
import dev.keyledger.contracts.apikey.RevokeApiKeysCommand;
import dev.keyledger.contracts.value.Reason;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Revokes a batch of keys in one unit of work and one database transaction: each key is loaded and
 * revoked by its own aggregate (one {@code api_key.revoked} event per key, with the caller's actor
 * and reason), and the events of the whole batch are appended together when the unit of work
 * commits. The revoke-all endpoint sends the keys in batches so that 10,000 keys are tens of
 * transactions rather than 10,000 (docs/benchmarks.md).
 */
@Component
class RevokeApiKeysHandler {

    private final Repository<ApiKey> repository;

    RevokeApiKeysHandler(Repository<ApiKey> repository) {
        this.repository = repository;
    }

    /** The number of keys this batch revoked (keys already revoked or expired are not counted). */
    @CommandHandler
    Integer handle(RevokeApiKeysCommand command) throws Exception {
        String reason = DomainRuleViolation.parse("reason", command.reason(), Reason::parse)
                .value();
        int revoked = 0;
        for (String keyId : command.keyIds()) {
            Aggregate<ApiKey> key = repository.load(keyId);
            RevokeApiKeyCommand revoke = new RevokeApiKeyCommand(keyId, command.organizationId(), reason);
            if (key.invoke(k -> k.handle(revoke))) {
                revoked++;
            }
        }
        return revoked;
    }
}
