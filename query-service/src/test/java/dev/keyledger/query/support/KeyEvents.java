package dev.keyledger.query.support;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes events to {@code keyledger.key-events} exactly as the command-side relay does: record
 * key = aggregate id, id/type/revision headers, {@link KeyEventEnvelope} JSON with per-aggregate
 * sequence numbers from 0. Every record written is kept, so a test can send them all again.
 */
public final class KeyEvents implements AutoCloseable {

    public static final Actor ALICE = new Actor("alice", "203.0.113.7", "portal/1.0");

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<String, Long> organizationSeqs = new HashMap<>();
    private final List<KeyEventEnvelope> unnumbered = new ArrayList<>();
    private boolean numbering = true;
    private final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
    private Instant clock = Instant.parse("2026-01-01T00:00:00Z");

    public KeyEvents(String bootstrapServers) {
        this(bootstrapServers, Topics.KEY_EVENTS);
    }

    /** Writes to {@code topic} instead of {@code keyledger.key-events}. */
    public KeyEvents(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** A key with its plaintext, as the command side generated it. */
    public record IssuedKey(String id, String plaintext, String hash, ApiKeyIssuedEvent event) {}

    public String createOrganization(Plan plan) {
        String id = Ids.newOrganizationId();
        emit(new OrganizationCreatedEvent(id, "Org " + id.substring(20), plan, limits(plan)), ALICE);
        return id;
    }

    public void changePlan(String organizationId, Plan plan, RateLimits custom) {
        emit(new OrganizationPlanChangedEvent(organizationId, plan, custom == null ? limits(plan) : custom), ALICE);
    }

    public String createDatabase(String organizationId, List<String> origins) {
        String id = Ids.newDatabaseId();
        emit(new DatabaseCreatedEvent(id, organizationId, "db " + id.substring(19), origins), ALICE);
        return id;
    }

    public void changeOrigins(String organizationId, String databaseId, List<String> origins) {
        emit(new AllowedOriginsChangedEvent(databaseId, organizationId, origins), ALICE);
    }

    public IssuedKey issue(
            String organizationId,
            String databaseId,
            ApiKeyType type,
            String name,
            Instant expiresAt,
            String replaces) {
        String id = Ids.newKeyId();
        GeneratedApiKey key = ApiKeyFormat.generate(type);
        ApiKeyIssuedEvent event = new ApiKeyIssuedEvent(
                id,
                organizationId,
                type == ApiKeyType.PUBLIC ? databaseId : null,
                type,
                name,
                key.hash(),
                key.lastFour(),
                type == ApiKeyType.PUBLIC ? key.plaintext() : null,
                expiresAt,
                replaces);
        emit(event, ALICE);
        return new IssuedKey(id, key.plaintext(), key.hash(), event);
    }

    public void rename(String organizationId, String keyId, String name) {
        emit(new ApiKeyRenamedEvent(keyId, organizationId, name), ALICE);
    }

    public void roll(String organizationId, String keyId, String successorId, Instant expiresAt) {
        emit(new ApiKeyRolledEvent(keyId, organizationId, successorId, expiresAt), ALICE);
    }

    public void revoke(String organizationId, String keyId) {
        emit(new ApiKeyRevokedEvent(keyId, organizationId), ALICE);
    }

    public void expire(String organizationId, String keyId, Instant at) {
        emit(new ApiKeyExpiredEvent(keyId, organizationId, at), Actor.SYSTEM);
    }

    /** Sends a raw value with the given aggregate id as key (for malformed or unknown records). */
    public void raw(String aggregateId, byte[] value) {
        send(new ProducerRecord<>(topic, aggregateId, value));
    }

    /** Sends an envelope of a type this version does not know. */
    public void unknownType(String aggregateId) {
        long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_" + Ids.ulid(),
                aggregateId,
                "api_key",
                sequence,
                "api_key.teleported",
                "1",
                tick(),
                ALICE,
                KeyledgerJson.tree(Map.of("where", "mars")));
        send(new ProducerRecord<>(topic, aggregateId, KeyledgerJson.write(envelope)));
    }

    /**
     * Whether envelopes carry their organization seq, as the command side relays them (the
     * default), or none, as records relayed before it numbered events.
     */
    public void numbering(boolean on) {
        numbering = on;
    }

    /**
     * Sends every event written without its seq again, with it: the command side's second relay
     * after it numbered its stored events (db/command V4).
     */
    public void relayUnnumberedAgain() {
        for (KeyEventEnvelope envelope : List.copyOf(unnumbered)) {
            send(new ProducerRecord<>(topic, envelope.aggregateId(), KeyledgerJson.write(envelope)));
        }
        unnumbered.clear();
    }

    public void emit(KeyledgerEvent event, Actor actor) {
        String aggregateId = event.aggregateId();
        long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
        long organizationSeq = organizationSeqs.merge(event.organizationId(), 1L, Long::sum);
        KeyEventTypes.Type type = KeyEventTypes.of(event.getClass());
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_" + Ids.ulid(),
                aggregateId,
                type.aggregateType(),
                sequence,
                type.name(),
                type.revision(),
                tick(),
                actor,
                KeyledgerJson.tree(event),
                organizationSeq);
        if (!numbering) {
            unnumbered.add(envelope);
            envelope = new KeyEventEnvelope(
                    envelope.eventId(),
                    envelope.aggregateId(),
                    envelope.aggregateType(),
                    envelope.sequenceNumber(),
                    envelope.type(),
                    envelope.revision(),
                    envelope.occurredAt(),
                    envelope.actor(),
                    envelope.payload());
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, aggregateId, KeyledgerJson.write(envelope));
        record.headers()
                .add(KeyEventHeaders.EVENT_ID, envelope.eventId().getBytes(StandardCharsets.UTF_8))
                .add(KeyEventHeaders.EVENT_TYPE, type.name().getBytes(StandardCharsets.UTF_8))
                .add(KeyEventHeaders.EVENT_REVISION, type.revision().getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    /** The {@code occurred_at} of the last event written (each event is one second after the one before). */
    public Instant lastEventTime() {
        return clock;
    }

    /** Every record sent so far, in order: sending them again is a redelivery. */
    public List<ProducerRecord<String, byte[]>> sent() {
        return List.copyOf(sent);
    }

    public void resend(List<ProducerRecord<String, byte[]>> records) {
        for (ProducerRecord<String, byte[]> record : records) {
            producer.send(new ProducerRecord<>(record.topic(), null, record.key(), record.value(), record.headers()));
        }
        producer.flush();
    }

    private void send(ProducerRecord<String, byte[]> record) {
        sent.add(record);
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send test event", e);
        }
    }

    private Instant tick() {
        clock = clock.plus(1, ChronoUnit.SECONDS);
        return clock;
    }

    private static RateLimits limits(Plan plan) {
        return plan.defaultLimits() == null ? new RateLimits(1_000, 1_000_000) : plan.defaultLimits();
    }

    @Override
    public void close() {
        producer.close();
    }
}
