package dev.keyledger.command.apikey;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ExpireApiKeyCommand;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.apikey.IssueApiKeyCommand;
import dev.keyledger.contracts.apikey.RollApiKeyCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Rolls a key in one unit of work: the old key is marked rolled and its successor issued, so there
 * is never a successor without a rolled predecessor or the reverse. With a grace period of zero the
 * old key also expires in the same unit of work instead of waiting for the expiry poller.
 */
@Component
class RollApiKeyHandler {

    private final Repository<ApiKey> repository;

    RollApiKeyHandler(Repository<ApiKey> repository) {
        this.repository = repository;
    }

    /** The successor's command and its plaintext, which leaves the service only in the response. */
    record RolledKey(IssueApiKeyCommand successor, GeneratedApiKey key) {}

    @CommandHandler
    RolledKey handle(RollApiKeyCommand command) throws Exception {
        Aggregate<ApiKey> old = repository.load(command.keyId());
        GeneratedApiKey generated = ApiKeyFormat.generate(old.invoke(ApiKey::type));
        IssueApiKeyCommand successor = rollOld(old, command, generated);
        repository.newInstance(() -> new ApiKey(successor));
        return new RolledKey(successor, generated);
    }

    /** The old key's part of the roll; separate so that a single-aggregate fixture can test it. */
    static IssueApiKeyCommand rollOld(Aggregate<ApiKey> old, RollApiKeyCommand command, GeneratedApiKey generated) {
        IssueApiKeyCommand successor = old.invoke(key -> key.roll(command, generated));
        if (command.gracePeriodSeconds() == 0) {
            old.execute(key -> key.handle(new ExpireApiKeyCommand(command.keyId())));
        }
        return successor;
    }
}
