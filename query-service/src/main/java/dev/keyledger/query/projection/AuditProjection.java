package dev.keyledger.query.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.database.DatabaseEvent;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import java.util.Collection;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The audit_log table, which is also every key's history: one row per applied event of every
 * aggregate, appended with one {@code COPY}. Joins the caller's transaction.
 */
@Component
class AuditProjection {

    private final ProjectionStore store;
    private final AuditChainProjection chain;

    AuditProjection(ProjectionStore store, AuditChainProjection chain) {
        this.store = store;
        this.chain = chain;
    }

    AuditRow entry(KeyEventEnvelope envelope, KeyledgerEvent event) {
        Actor actor = envelope.actor();
        return new AuditRow(
                envelope.aggregateId(),
                envelope.sequenceNumber(),
                envelope.eventId(),
                event.organizationId(),
                KeyEventTypes.byName(envelope.type()).aggregateType(),
                envelope.type(),
                envelope.occurredAt(),
                actor == null ? null : actor.subject(),
                actor == null ? null : actor.ip(),
                actor == null ? null : actor.userAgent(),
                details(envelope, event),
                envelope.organizationSeq());
    }

    /**
     * Appends {@code rows}, gives {@code renumbered} (entries already held, whose event came again
     * with its seq) their seq, and extends the hash chain of every organization touched.
     */
    void write(Collection<AuditRow> rows, Collection<AuditRow> renumbered) {
        store.copyAudit(rows);
        java.util.Set<String> organizations = new java.util.HashSet<>();
        for (AuditRow row : rows) {
            if (row.seq() != null) {
                organizations.add(row.organizationId());
            }
        }
        organizations.addAll(chain.number(renumbered));
        chain.extend(organizations);
    }

    /**
     * The payload without the ids the entry already carries and without key material: the hash is
     * no business of an auditor and the public key is shown on the key itself.
     */
    private static String details(KeyEventEnvelope envelope, KeyledgerEvent event) {
        ObjectNode details = envelope.payload() instanceof ObjectNode node
                ? node.deepCopy()
                : KeyledgerJson.mapper().createObjectNode();
        details.remove(List.of("organization_id", "key_hash", "public_key"));
        switch (event) {
            case ApiKeyEvent e -> details.remove("key_id");
            case DatabaseEvent e -> details.remove("database_id");
            default -> {}
        }
        return details.toString();
    }
}
