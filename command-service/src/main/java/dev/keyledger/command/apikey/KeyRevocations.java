package dev.keyledger.command.apikey;

import dev.keyledger.command.dispatch.CommandDispatcher;
import dev.keyledger.contracts.apikey.RevokeApiKeysCommand;
import dev.keyledger.contracts.kafka.Actor;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Revokes every usable key of an organization or of one database: the keys usable when the call
 * starts are read from the directory and revoked in batches of
 * {@link ApiKeyProperties#revokeAllBatchSize()} keys, one unit of work and transaction per batch
 * ({@link RevokeApiKeysHandler}). Returns once every batch is stored. A batch that fails leaves the
 * earlier ones revoked; calling again revokes the rest, since revoked keys are skipped.
 */
@Component
class KeyRevocations {

    private final ApiKeyDirectory keys;
    private final CommandDispatcher dispatcher;
    private final int batchSize;

    KeyRevocations(ApiKeyDirectory keys, CommandDispatcher dispatcher, ApiKeyProperties properties) {
        this.keys = keys;
        this.dispatcher = dispatcher;
        this.batchSize = properties.revokeAllBatchSize();
    }

    /**
     * What a call revoked: the number of keys it revoked, and the keys it tried (usable when it
     * started), whose relay to Kafka the answer waits for.
     */
    record Revoked(int count, List<String> keyIds) {}

    /** Revokes every usable key; {@code databaseId} null means every key of the organization. */
    Revoked revokeAll(String organizationId, String databaseId, String reason, Actor actor) {
        List<String> usable = keys.usableKeys(organizationId, databaseId);
        int revoked = 0;
        for (int from = 0; from < usable.size(); from += batchSize) {
            List<String> batch = usable.subList(from, Math.min(usable.size(), from + batchSize));
            Integer count = dispatcher.send(new RevokeApiKeysCommand(organizationId, batch, reason), actor);
            revoked += count;
        }
        return new Revoked(revoked, usable);
    }
}
