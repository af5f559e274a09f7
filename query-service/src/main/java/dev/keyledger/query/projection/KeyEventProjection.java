package dev.keyledger.query.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseEvent;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies one poll of {@code keyledger.key-events} to the projection tables. The rows an event
 * touches are loaded once per poll, changed in memory by their transition methods and written
 * back with one batch or one {@code COPY} per table, all inside the caller's transaction. An event whose sequence
 * number is not above its aggregate's {@code last_sequence} is a duplicate and changes nothing.
 */
@Component
class KeyEventProjection {

    private static final Logger LOG = LoggerFactory.getLogger(KeyEventProjection.class);

    private final ProjectionStore store;

    KeyEventProjection(ProjectionStore store) {
        this.store = store;
    }

    /** What one poll changed; the touched ids select the active-key entries to publish. */
    record Outcome(
            int applied,
            int duplicates,
            int unknown,
            int malformed,
            Set<String> touchedKeys,
            Set<String> touchedDatabases,
            Set<String> touchedOrganizations,
            Instant lastEventTime) {}

    private record Decoded(KeyEventEnvelope envelope, KeyledgerEvent event) {}

    Outcome apply(List<ConsumerRecord<String, byte[]>> records) {
        int unknown = 0;
        int malformed = 0;
        List<Decoded> decoded = new ArrayList<>(records.size());
        Set<String> organizationIds = new HashSet<>();
        Set<String> databaseIds = new HashSet<>();
        Set<String> keyIds = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            KeyEventEnvelope envelope;
            KeyledgerEvent event;
            try {
                envelope = KeyledgerJson.readEnvelope(record.value());
                event = KeyledgerJson.payload(envelope);
            } catch (RuntimeException e) {
                // A record that cannot be read would block the partition forever; it is skipped,
                // counted and logged with its position so that an operator can inspect it.
                malformed++;
                LOG.warn(
                        "Skipping malformed record {}-{}@{}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.toString());
                continue;
            }
            if (event == null) {
                unknown++;
                continue;
            }
            switch (event) {
                case OrganizationEvent e -> organizationIds.add(e.organizationId());
                case DatabaseEvent e -> databaseIds.add(e.databaseId());
                case ApiKeyEvent e -> keyIds.add(e.keyId());
                default -> {
                    unknown++;
                    continue;
                }
            }
            decoded.add(new Decoded(envelope, event));
        }

        Map<String, OrganizationRow> organizations = store.loadOrganizations(organizationIds);
        Map<String, DatabaseRow> databases = store.loadDatabases(databaseIds);
        Map<String, ApiKeyRow> keys = store.loadKeys(keyIds);
        Set<String> existingKeys = Set.copyOf(keys.keySet());
        Map<String, OrganizationRow> changedOrganizations = new LinkedHashMap<>();
        Map<String, DatabaseRow> changedDatabases = new LinkedHashMap<>();
        Map<String, ApiKeyRow> changedKeys = new LinkedHashMap<>();
        List<AuditRow> audit = new ArrayList<>();
        Set<String> touchedKeys = new HashSet<>();
        Set<String> touchedDatabases = new HashSet<>();
        Set<String> touchedOrganizations = new HashSet<>();
        int applied = 0;
        int duplicates = 0;
        Instant lastEventTime = null;

        for (Decoded item : decoded) {
            KeyEventEnvelope envelope = item.envelope();
            long sequence = envelope.sequenceNumber();
            Instant at = envelope.occurredAt();
            String actor = envelope.actor() == null ? null : envelope.actor().subject();
            boolean changed = switch (item.event()) {
                case OrganizationEvent e -> {
                    OrganizationRow current = organizations.get(e.organizationId());
                    if (isDuplicate(current == null ? null : current.lastSequence(), sequence)) {
                        yield false;
                    }
                    OrganizationRow next = switch (e) {
                        case OrganizationCreatedEvent created -> OrganizationRow.created(created, at, sequence);
                        case OrganizationPlanChangedEvent changedPlan ->
                            current == null ? null : current.planChanged(changedPlan, sequence);
                    };
                    if (next == null) {
                        yield orphan(envelope);
                    }
                    organizations.put(next.id(), next);
                    changedOrganizations.put(next.id(), next);
                    touchedOrganizations.add(next.id());
                    yield true;
                }
                case DatabaseEvent e -> {
                    DatabaseRow current = databases.get(e.databaseId());
                    if (isDuplicate(current == null ? null : current.lastSequence(), sequence)) {
                        yield false;
                    }
                    DatabaseRow next = switch (e) {
                        case DatabaseCreatedEvent created -> DatabaseRow.created(created, at, sequence);
                        case AllowedOriginsChangedEvent origins ->
                            current == null ? null : current.originsChanged(origins, sequence);
                    };
                    if (next == null) {
                        yield orphan(envelope);
                    }
                    databases.put(next.id(), next);
                    changedDatabases.put(next.id(), next);
                    touchedDatabases.add(next.id());
                    yield true;
                }
                case ApiKeyEvent e -> {
                    ApiKeyRow current = keys.get(e.keyId());
                    if (isDuplicate(current == null ? null : current.lastSequence(), sequence)) {
                        yield false;
                    }
                    ApiKeyRow next = switch (e) {
                        case ApiKeyIssuedEvent issued -> ApiKeyRow.issued(issued, at, actor, sequence);
                        case ApiKeyRenamedEvent renamed ->
                            current == null ? null : current.renamed(renamed.name(), sequence);
                        case ApiKeyRolledEvent rolled ->
                            current == null ? null : current.rolled(rolled.successorId(), rolled.expiresAt(), sequence);
                        case ApiKeyRevokedEvent revoked ->
                            current == null ? null : current.revoked(at, actor, sequence);
                        case ApiKeyExpiredEvent expired -> current == null ? null : current.expired(sequence);
                    };
                    if (next == null) {
                        yield orphan(envelope);
                    }
                    keys.put(next.id(), next);
                    changedKeys.put(next.id(), next);
                    touchedKeys.add(next.id());
                    yield true;
                }
                default -> false;
            };
            if (changed) {
                applied++;
                audit.add(auditRow(envelope, item.event()));
                lastEventTime = at;
            } else {
                duplicates++;
            }
        }

        store.upsertOrganizations(changedOrganizations.values());
        store.upsertDatabases(changedDatabases.values());
        // Keys absent when the poll started are new rows (this thread is the only writer): they are
        // copied in bulk, and only the others are updated.
        List<ApiKeyRow> newKeys = new ArrayList<>();
        List<ApiKeyRow> updatedKeys = new ArrayList<>();
        for (ApiKeyRow row : changedKeys.values()) {
            (existingKeys.contains(row.id()) ? updatedKeys : newKeys).add(row);
        }
        store.copyKeys(newKeys);
        store.updateKeys(updatedKeys);
        store.copyAudit(audit);
        return new Outcome(
                applied,
                duplicates,
                unknown,
                malformed,
                touchedKeys,
                touchedDatabases,
                touchedOrganizations,
                lastEventTime);
    }

    private static boolean isDuplicate(Long lastSequence, long sequence) {
        return lastSequence != null && sequence <= lastSequence;
    }

    /**
     * An event for an aggregate whose creation was never seen. Per-aggregate order makes this
     * impossible unless the topic lost records, so it is logged and counted as not applied.
     */
    private static boolean orphan(KeyEventEnvelope envelope) {
        LOG.warn(
                "Ignoring {} #{} of {}: its aggregate was never created",
                envelope.type(),
                envelope.sequenceNumber(),
                envelope.aggregateId());
        return false;
    }

    private static AuditRow auditRow(KeyEventEnvelope envelope, KeyledgerEvent event) {
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
                details(envelope, event));
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
