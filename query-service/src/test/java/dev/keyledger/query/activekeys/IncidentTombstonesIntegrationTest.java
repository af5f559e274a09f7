package dev.keyledger.query.activekeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The tombstones of a suspension and of a database deletion carry the event's own time as their
 * record timestamp, like a revocation's carry {@code revoked_at}: the edge's
 * {@code keyledger_edge_revocation_lag} then measures suspension-to-deny and deletion-to-deny, not
 * publish-to-deny. Events are stamped in 2026-01 (KeyEvents' clock), so a tombstone stamped "now"
 * by the producer could never match.
 */
class IncidentTombstonesIntegrationTest extends QueryServiceIntegrationTestBase {

    @Test
    void aSuspensionsTombstonesCarryTheSuspensionTimeAndReactivationRepublishesTheEntries() {
        String org = events.createOrganization(Plan.PRO);
        String db = events.createDatabase(org, List.of("https://app.example.com"));
        KeyEvents.IssuedKey pub = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, null);
        KeyEvents.IssuedKey secret = events.issue(org, null, ApiKeyType.SECRET, "backend", null, null);
        KeyEvents.IssuedKey revoked = events.issue(org, null, ApiKeyType.SECRET, "old", null, null);
        events.revoke(org, revoked.id());
        Instant revokedAt = events.lastEventTime();
        awaitProjected();

        events.emit(new OrganizationSuspendedEvent(org, "incident 7"), KeyEvents.ALICE);
        Instant suspendedAt = events.lastEventTime();
        awaitProjected();

        Map<String, ConsumerRecord<String, byte[]>> view = latest();
        for (KeyEvents.IssuedKey key : List.of(pub, secret)) {
            ConsumerRecord<String, byte[]> record = view.get(key.hash());
            assertThat(record.value()).as("tombstone of %s", key.id()).isNull();
            assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(record.timestamp()).as("record time of %s", key.id()).isEqualTo(suspendedAt.toEpochMilli());
        }
        // Not re-published by the suspension: its tombstone is still the revocation's.
        assertThat(view.get(revoked.hash()).value()).isNull();
        assertThat(view.get(revoked.hash()).timestamp()).isEqualTo(revokedAt.toEpochMilli());

        events.emit(new OrganizationReactivatedEvent(org), KeyEvents.ALICE);
        awaitProjected();
        view = latest();
        assertThat(view.get(pub.hash()).value()).isNotNull();
        assertThat(view.get(secret.hash()).value()).isNotNull();
        assertThat(view.get(revoked.hash()).value()).isNull();
    }

    @Test
    void aDeletedDatabasesTombstonesCarryTheDeletionTime() {
        String org = events.createOrganization(Plan.PRO);
        String db = events.createDatabase(org, List.of("https://shop.example.com"));
        KeyEvents.IssuedKey pub = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, null);
        KeyEvents.IssuedKey secret = events.issue(org, null, ApiKeyType.SECRET, "backend", null, null);
        awaitProjected();

        events.emit(new DatabaseDeletedEvent(db, org), KeyEvents.ALICE);
        Instant deletedAt = events.lastEventTime();
        awaitProjected();

        Map<String, ConsumerRecord<String, byte[]>> view = latest();
        assertThat(view.get(pub.hash()).value()).isNull();
        assertThat(view.get(pub.hash()).timestamp()).isEqualTo(deletedAt.toEpochMilli());
        assertThat(view.get(Topics.DATABASE_KEY_PREFIX + db).value()).isNull();
        // A secret key does not belong to one database: untouched.
        assertThat(view.get(secret.hash()).value()).isNotNull();
    }

    /** The last record per key of {@code keyledger.active-keys}, with its timestamp. */
    private static Map<String, ConsumerRecord<String, byte[]>> latest() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<String, ConsumerRecord<String, byte[]>> view = new HashMap<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    view.put(record.key(), record);
                }
            }
            return view;
        }
    }
}
