package dev.keyledger.query.projection;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.database.DatabaseEvent;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.OrganizationEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies one poll of {@code keyledger.key-events} to the projection tables: decodes the records,
 * loads the rows they touch once per model, dispatches each event on its sealed interface to its
 * model's projection ({@link OrganizationProjection}, {@link DatabaseProjection},
 * {@link ApiKeyProjection}; {@link AuditProjection} and {@link TemporalProjection} for every applied
 * event) and writes each table
 * back once, all inside the caller's transaction. Stateless; used by the live and the rebuild thread.
 */
@Component
class KeyEventProjection {

    private static final Logger LOG = LoggerFactory.getLogger(KeyEventProjection.class);

    private final OrganizationProjection organizations;
    private final DatabaseProjection databases;
    private final ApiKeyProjection keys;
    private final AuditProjection audit;
    private final TemporalProjection temporal;

    KeyEventProjection(
            OrganizationProjection organizations,
            DatabaseProjection databases,
            ApiKeyProjection keys,
            AuditProjection audit,
            TemporalProjection temporal) {
        this.organizations = organizations;
        this.databases = databases;
        this.keys = keys;
        this.audit = audit;
        this.temporal = temporal;
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

    /**
     * Told of every key that a poll revokes or expires, as soon as the poll has read the key's row
     * and before anything is written: the end of a key's life is final, so its tombstone can leave
     * before the rows are written and the transaction commits (decision 0018). Called on the poll's
     * thread, for keys whose row existed before the poll, duplicates included.
     */
    @FunctionalInterface
    interface EndOfLife {
        EndOfLife NONE = (keyHash, at) -> {};

        void ended(String keyHash, Instant at);
    }

    Outcome apply(List<ConsumerRecord<String, byte[]>> records) {
        return apply(records, EndOfLife.NONE);
    }

    Outcome apply(List<ConsumerRecord<String, byte[]>> records, EndOfLife endOfLife) {
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
            switch (event) {
                case OrganizationEvent e -> organizationIds.add(e.organizationId());
                case DatabaseEvent e -> databaseIds.add(e.databaseId());
                case ApiKeyEvent e -> keyIds.add(e.keyId());
                case null, default -> {
                    unknown++;
                    continue;
                }
            }
            decoded.add(new Decoded(envelope, event));
        }

        PollRows<ApiKeyRow> keyRows = keys.load(keyIds);
        announceEndsOfLife(decoded, keyRows, endOfLife);
        PollRows<OrganizationRow> organizationRows = organizations.load(organizationIds);
        PollRows<DatabaseRow> databaseRows = databases.load(databaseIds);
        List<AuditRow> entries = new ArrayList<>();
        List<AuditRow> renumbered = new ArrayList<>();
        TemporalProjection.Poll versions = temporal.poll();
        int applied = 0;
        int duplicates = 0;
        Instant lastEventTime = null;

        for (Decoded item : decoded) {
            KeyEventEnvelope envelope = item.envelope();
            long sequence = envelope.sequenceNumber();
            Instant at = envelope.occurredAt();
            String actor = envelope.actor() == null ? null : envelope.actor().subject();
            PollRows.Change change = switch (item.event()) {
                case OrganizationEvent e -> organizations.apply(organizationRows, e, at, sequence);
                case DatabaseEvent e -> databases.apply(databaseRows, e, at, sequence);
                case ApiKeyEvent e -> keys.apply(keyRows, e, at, actor, sequence);
                default -> PollRows.Change.DUPLICATE;
            };
            switch (change) {
                case APPLIED -> {
                    applied++;
                    entries.add(audit.entry(envelope, item.event()));
                    versions.applied(item.event(), organizationRows, databaseRows, keyRows, at);
                    lastEventTime = at;
                }
                case DUPLICATE -> {
                    duplicates++;
                    if (envelope.organizationSeq() != null) {
                        // The command side relays events stored before it numbered them once more,
                        // with their seq: the audit entry held takes it (docs/audit.md).
                        renumbered.add(audit.entry(envelope, item.event()));
                    }
                }
                case ORPHAN -> {
                    // Per-aggregate order makes this impossible unless the topic lost records (or
                    // the creation was parked), so it is logged and counted as not applied.
                    duplicates++;
                    LOG.warn(
                            "Ignoring {} #{} of {}: its aggregate was never created",
                            envelope.type(),
                            envelope.sequenceNumber(),
                            envelope.aggregateId());
                }
            }
        }

        organizations.write(organizationRows);
        databases.write(databaseRows);
        keys.write(keyRows);
        // An entry exists exactly when its aggregate's last_sequence covers it (same transaction),
        // and only events above that are applied, so the primary key cannot conflict.
        audit.write(entries, renumbered);
        temporal.write(versions);
        return new Outcome(
                applied,
                duplicates,
                unknown,
                malformed,
                Set.copyOf(keyRows.changedIds()),
                Set.copyOf(databaseRows.changedIds()),
                Set.copyOf(organizationRows.changedIds()),
                lastEventTime);
    }

    private static void announceEndsOfLife(List<Decoded> decoded, PollRows<ApiKeyRow> keyRows, EndOfLife endOfLife) {
        if (endOfLife == EndOfLife.NONE) {
            return;
        }
        Set<String> announced = new HashSet<>();
        for (Decoded item : decoded) {
            String keyId = switch (item.event()) {
                case ApiKeyRevokedEvent revoked -> revoked.keyId();
                case ApiKeyExpiredEvent expired -> expired.keyId();
                default -> null;
            };
            // A key issued in this very poll has no row yet; it was never published either.
            ApiKeyRow row = keyId == null ? null : keyRows.get(keyId);
            if (row != null && announced.add(row.keyHash())) {
                endOfLife.ended(row.keyHash(), item.envelope().occurredAt());
            }
        }
    }
}
