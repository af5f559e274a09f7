package dev.keyledger.command.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.relay.KeyEventsTopic;
import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.DatabaseScan;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The whole write path over real HTTP, a real PostgreSQL event store and a real broker: a platform
 * admin creates an organization, an org admin a database, a secret and a public key; the events are
 * read back from the event store and, with a plain consumer, from {@code keyledger.key-events}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagementFlowIntegrationTest extends ManagementApiIntegrationTestBase {

    @Autowired
    EventStore eventStore;

    @Autowired
    LoggingSystem loggingSystem;

    @Test
    void everyEventOfTheFlowReachesKafkaWithItsEnvelopeHeadersActorAndAggregateOrder() {
        String organizationId = newOrganization();
        String databaseId = newDatabase(organizationId);
        String secretKeyId = newSecretKey(organizationId).text("id");
        ApiClient.Response publicKey = api.post(
                "/api/v1/organizations/" + organizationId + "/databases/" + databaseId + "/api-keys",
                orgAdmin(organizationId),
                "{\"name\":\"Browser\"}");
        assertThat(publicKey.status()).as(publicKey.body()).isEqualTo(201);
        String publicKeyId = publicKey.text("id");
        ApiClient.Response renamed = api.patch(
                "/api/v1/organizations/" + organizationId + "/api-keys/" + secretKeyId,
                orgAdmin(organizationId),
                "{\"name\":\"CI (renamed)\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        ApiClient.Response revoked = api.delete(
                "/api/v1/organizations/" + organizationId + "/api-keys/" + publicKeyId, orgAdmin(organizationId));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);

        Map<String, List<String>> expectedTypes = Map.of(
                organizationId, List.of("organization.created"),
                databaseId, List.of("database.created"),
                secretKeyId, List.of("api_key.issued", "api_key.renamed"),
                publicKeyId, List.of("api_key.issued", "api_key.revoked"));
        Map<String, String> expectedSubjects =
                Map.of(organizationId, "platform-ops", databaseId, "alice", secretKeyId, "alice", publicKeyId, "alice");
        List<String> aggregateIds = List.of(organizationId, databaseId, secretKeyId, publicKeyId);
        List<DomainEventMessage<?>> stored = aggregateIds.stream()
                .<DomainEventMessage<?>>flatMap(id -> eventStore.readEvents(id).asStream())
                .toList();
        assertThat(stored).hasSize(6);

        List<ConsumerRecord<String, byte[]>> records;
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            records = topic.awaitRecordsOf(aggregateIds, found -> distinctEventIds(found) == stored.size());
        }

        for (String aggregateId : aggregateIds) {
            List<DomainEventMessage<?>> events = stored.stream()
                    .filter(event -> event.getAggregateIdentifier().equals(aggregateId))
                    .toList();
            List<ConsumerRecord<String, byte[]>> firstOccurrences = firstOccurrences(records, aggregateId);
            assertThat(firstOccurrences)
                    .extracting(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_TYPE))
                    .as("event types of %s on the topic, in order", aggregateId)
                    .containsExactlyElementsOf(expectedTypes.get(aggregateId));
            for (int i = 0; i < events.size(); i++) {
                DomainEventMessage<?> event = events.get(i);
                ConsumerRecord<String, byte[]> record = firstOccurrences.get(i);
                KeyEventEnvelope envelope = KeyledgerJson.readEnvelope(record.value());
                KeyEventTypes.Type type = KeyEventTypes.of(event.getPayloadType());
                assertThat(record.key()).isEqualTo(aggregateId);
                assertThat(KeyEventsTopic.header(record, KeyEventHeaders.EVENT_ID))
                        .isEqualTo(event.getIdentifier());
                assertThat(KeyEventsTopic.header(record, KeyEventHeaders.EVENT_REVISION))
                        .isEqualTo(type.revision());
                assertThat(envelope.eventId()).isEqualTo(event.getIdentifier());
                assertThat(envelope.aggregateId()).isEqualTo(aggregateId);
                assertThat(envelope.aggregateType()).isEqualTo(type.aggregateType());
                assertThat(envelope.sequenceNumber()).isEqualTo(event.getSequenceNumber());
                assertThat(envelope.type()).isEqualTo(type.name());
                assertThat(envelope.revision()).isEqualTo(type.revision());
                assertThat(envelope.occurredAt()).isEqualTo(event.getTimestamp());
                assertThat(KeyledgerJson.payload(envelope)).isEqualTo(event.getPayload());
                assertThat(envelope.actor().subject()).isEqualTo(expectedSubjects.get(aggregateId));
                assertThat(envelope.actor().userAgent()).isEqualTo("keyledger-test");
                assertThat(envelope.actor().ip())
                        .isNotBlank()
                        .isEqualTo(event.getMetaData().get(Actor.META_IP));
            }
        }
    }

    @Test
    void secretKeyPlaintextIsInNoKafkaRecordNoTableAndNoLogLine(CapturedOutput output) {
        List<String> loggers = List.of(
                "dev.keyledger",
                "org.axonframework",
                "org.springframework.web",
                "org.springframework.security",
                "org.springframework.jdbc",
                "org.apache.catalina");
        loggers.forEach(logger -> loggingSystem.setLogLevel(logger, LogLevel.TRACE));
        String organizationId = newOrganization();
        ApiClient.Response created = newSecretKey(organizationId);
        String keyId = created.text("id");
        ApiClient.Response rolled = api.post(
                "/api/v1/organizations/" + organizationId + "/api-keys/" + keyId + "/roll",
                orgAdmin(organizationId),
                "{\"grace_period_seconds\":3600}");
        assertThat(rolled.status()).as(rolled.body()).isEqualTo(201);
        List<String> plaintexts = List.of(created.text("key"), rolled.text("key"));
        assertThat(plaintexts).allSatisfy(key -> assertThat(key).startsWith("sk_"));
        List<String> aggregateIds = List.of(organizationId, keyId, rolled.text("id"));
        long storedEvents = aggregateIds.stream()
                .mapToLong(id -> eventStore.readEvents(id).asStream().count())
                .sum();

        List<ConsumerRecord<String, byte[]>> records;
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            topic.awaitRecordsOf(aggregateIds, found -> distinctEventIds(found) == storedEvents);
            records = topic.readToEnd();
        } finally {
            loggers.forEach(logger -> loggingSystem.setLogLevel(logger, null));
        }

        assertThat(recordsContaining(records, ApiKeyFormat.sha256Hex(plaintexts.get(0))))
                .as("the scan finds what is published (the key hash)")
                .isNotEmpty();
        assertThat(columnsContaining(ApiKeyFormat.sha256Hex(plaintexts.get(0))))
                .as("the scan finds what is stored (the key hash)")
                .isNotEmpty();
        String log = output.getAll();
        assertThat(log).as("the log was captured").contains(keyId);
        for (String plaintext : plaintexts) {
            for (String needle : List.of(plaintext, plaintext.substring(3))) {
                assertThat(recordsContaining(records, needle))
                        .as("Kafka records holding a secret key")
                        .isEmpty();
                assertThat(columnsContaining(needle))
                        .as("columns holding a secret key")
                        .isEmpty();
                assertThat(log).as("log lines holding a secret key").doesNotContain(needle);
            }
        }
    }

    private static long distinctEventIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_ID))
                .distinct()
                .count();
    }

    /** What a consumer deduplicating on (aggregate id, sequence number) applies, in order. */
    private static List<ConsumerRecord<String, byte[]>> firstOccurrences(
            List<ConsumerRecord<String, byte[]>> records, String aggregateId) {
        List<ConsumerRecord<String, byte[]>> first = new ArrayList<>();
        long next = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.key().equals(aggregateId)) {
                long sequence = KeyledgerJson.readEnvelope(record.value()).sequenceNumber();
                if (sequence == next) {
                    first.add(record);
                    next++;
                } else {
                    assertThat(sequence)
                            .as("a gap in the sequence of %s", aggregateId)
                            .isLessThan(next);
                }
            }
        }
        return first;
    }

    /** Offsets of the records whose key, value or any header value contains {@code needle}. */
    private static List<String> recordsContaining(List<ConsumerRecord<String, byte[]>> records, String needle) {
        return records.stream()
                .filter(record -> Stream.concat(
                                Stream.of(record.key(), utf8(record.value())),
                                Stream.of(record.headers().toArray())
                                        .flatMap(header -> Stream.of(header.key(), utf8(header))))
                        .anyMatch(text -> text != null && text.contains(needle)))
                .map(record -> record.partition() + "@" + record.offset())
                .toList();
    }

    private static String utf8(Header header) {
        return utf8(header.value());
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private List<String> columnsContaining(String needle) {
        return DatabaseScan.columnsContaining(jdbc, needle, "domainevententry", "tokenentry");
    }
}
