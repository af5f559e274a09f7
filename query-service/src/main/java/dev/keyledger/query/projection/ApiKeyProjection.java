package dev.keyledger.query.projection;

import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The api_keys table: every key with its status ({@link ApiKeyStatus}). Keys absent when the poll
 * started are new rows, copied in bulk; only the others are updated. Joins the caller's transaction.
 */
@Component
class ApiKeyProjection {

    private final ProjectionStore store;

    ApiKeyProjection(ProjectionStore store) {
        this.store = store;
    }

    PollRows<ApiKeyRow> load(Set<String> ids) {
        return new PollRows<>(store.loadKeys(ids), ApiKeyRow::id, ApiKeyRow::lastSequence);
    }

    PollRows.Change apply(PollRows<ApiKeyRow> rows, ApiKeyEvent event, Instant at, String actor, long sequence) {
        return rows.apply(event.keyId(), sequence, current -> switch (event) {
            case ApiKeyIssuedEvent issued -> ApiKeyRow.issued(issued, at, actor, sequence);
            case ApiKeyRenamedEvent renamed -> current == null ? null : current.renamed(renamed.name(), sequence);
            case ApiKeyRolledEvent rolled ->
                current == null ? null : current.rolled(rolled.successorId(), rolled.expiresAt(), sequence);
            case ApiKeyRevokedEvent revoked -> current == null ? null : current.revoked(at, actor, sequence);
            case ApiKeyExpiredEvent expired -> current == null ? null : current.expired(sequence);
        });
    }

    void write(PollRows<ApiKeyRow> rows) {
        List<ApiKeyRow> created = new ArrayList<>();
        List<ApiKeyRow> updated = new ArrayList<>();
        for (ApiKeyRow row : rows.changed()) {
            (rows.existed(row) ? updated : created).add(row);
        }
        store.copyKeys(created);
        store.updateKeys(updated);
    }
}
