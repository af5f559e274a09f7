package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.Actor;
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay against a real PostgreSQL event store and a real broker. Events are appended straight
 * to the event store, as the aggregates would, and read back from {@code keyledger.key-events} with
 * a plain consumer. Shares the Spring context of the management API tests.
 */
class KafkaRelayIntegrationTest extends ManagementApiIntegrationTestBase {

    @Autowired
    EventStore eventStore;

    @Autowired
    MeterRegistry meters;

    @Autowired
    EventStorageEngine storageEngine;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    Environment environment;

    @LocalManagementPort
    int managementPort;

    @Test
    void publishesEachEventAsAnEnvelopeKeyedByAggregateIdWithIdTypeAndRevisionHeaders() throws Exception {
        String organizationId = Ids.newOrganizationId();
        String keyId = Ids.newKeyId();
        OrganizationCreatedEvent created =
                new OrganizationCreatedEvent(organizationId, "Acme", Plan.PRO, Plan.PRO.defaultLimits());
        ApiKeyIssuedEvent issued = new ApiKeyIssuedEvent(
                keyId, organizationId, null, ApiKeyType.SECRET, "ci", "ab".repeat(32), "WXYZ", null, null, null);
        double publishedBefore = published();
        eventStore.publish(
                new GenericDomainEventMessage<>("Organization", organizationId, 0, created)
                        .andMetaData(MetaData.with(Actor.META_SUBJECT, "alice")
                                .and(Actor.META_IP, "203.0.113.7")
                                .and(Actor.META_USER_AGENT, "curl/8.5")),
                new GenericDomainEventMessage<>("ApiKey", keyId, 0, issued));

        List<ConsumerRecord<String, byte[]>> records;
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            records = topic.awaitRecordsOf(List.of(organizationId, keyId), found -> found.size() >= 2);
        }

        DomainEventMessage<?> storedCreated = single(organizationId);
        ConsumerRecord<String, byte[]> organizationRecord = recordOf(records, organizationId);
        assertThat(KeyEventsTopic.header(organizationRecord, KeyEventHeaders.EVENT_ID))
                .isEqualTo(storedCreated.getIdentifier());
        assertThat(KeyEventsTopic.header(organizationRecord, KeyEventHeaders.EVENT_TYPE))
                .isEqualTo("organization.created");
        assertThat(KeyEventsTopic.header(organizationRecord, KeyEventHeaders.EVENT_REVISION))
                .isEqualTo("1");
        KeyEventEnvelope envelope = KeyledgerJson.readEnvelope(organizationRecord.value());
        assertThat(envelope)
                .isEqualTo(new KeyEventEnvelope(
                        storedCreated.getIdentifier(),
                        organizationId,
                        "organization",
                        0,
                        "organization.created",
                        "1",
                        storedCreated.getTimestamp(),
                        new Actor("alice", "203.0.113.7", "curl/8.5"),
                        envelope.payload(),
                        1L));
        assertThat(KeyledgerJson.payload(envelope)).isEqualTo(created);
        JsonNode json = KeyledgerJson.mapper().readTree(organizationRecord.value());
        assertThat(json.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder(
                        "event_id",
                        "aggregate_id",
                        "aggregate_type",
                        "sequence_number",
                        "type",
                        "revision",
                        "occurred_at",
                        "actor",
                        "payload",
                        "organization_seq");
        assertThat(json.get("actor").get("user_agent").asText()).isEqualTo("curl/8.5");

        KeyEventEnvelope keyEnvelope =
                KeyledgerJson.readEnvelope(recordOf(records, keyId).value());
        assertThat(keyEnvelope.aggregateType()).isEqualTo("api_key");
        assertThat(keyEnvelope.type()).isEqualTo("api_key.issued");
        assertThat(keyEnvelope.actor()).as("no actor recorded: the system").isEqualTo(Actor.SYSTEM);
        assertThat(keyEnvelope.organizationSeq())
                .as("the second event of the organization")
                .isEqualTo(2L);
        assertThat(KeyledgerJson.payload(keyEnvelope)).isEqualTo(issued);
        await().untilAsserted(() -> assertThat(published()).isGreaterThanOrEqualTo(publishedBefore + 2));
    }

    @Test
    void keepsTheOrderOfEveryAggregateAcrossBatchesAndPartitions() {
        int aggregates = 12;
        int eventsPerAggregate = 60;
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < aggregates; i++) {
            keyIds.add(Ids.newKeyId());
        }
        String organizationId = Ids.newOrganizationId();
        for (int sequence = 0; sequence < eventsPerAggregate; sequence++) {
            List<DomainEventMessage<?>> round = new ArrayList<>();
            for (String keyId : keyIds) {
                round.add(new GenericDomainEventMessage<>(
                        "ApiKey", keyId, sequence, event(keyId, organizationId, sequence)));
            }
            eventStore.publish(round);
        }

        List<ConsumerRecord<String, byte[]>> records;
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            records = topic.awaitRecordsOf(keyIds, found -> found.size() >= aggregates * eventsPerAggregate);
        }

        assertOrderedAndComplete(records, keyIds, eventsPerAggregate);
        assertThat(records.stream()
                        .map(record ->
                                KeyledgerJson.readEnvelope(record.value()).organizationSeq())
                        .distinct()
                        .sorted()
                        .toList())
                .as("every event of the organization has its own seq, 1 to n without gaps")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, (long) aggregates * eventsPerAggregate)
                        .boxed()
                        .toList());
        assertThat(records)
                .allSatisfy(record -> assertThat(record.key())
                        .isEqualTo(KeyledgerJson.readEnvelope(record.value()).aggregateId()));
        assertThat(meters.get("keyledger.relay.lag").gauge().value()).isNotNegative();
    }

    @Test
    void exposesPublishedEventsFailuresAndLagOnThePrometheusEndpoint() throws Exception {
        String organizationId = Ids.newOrganizationId();
        eventStore.publish(new GenericDomainEventMessage<>(
                "Organization",
                organizationId,
                0,
                new OrganizationCreatedEvent(organizationId, "Metrics", Plan.FREE, Plan.FREE.defaultLimits())));
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            topic.awaitRecordsOf(List.of(organizationId), found -> !found.isEmpty());
        }
        awaitRelayCaughtUp();

        String metrics;
        try (HttpClient http = HttpClient.newHttpClient()) {
            metrics = http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }

        assertThat(metrics)
                .containsPattern("(?m)^keyledger_relay_events_published_total(\\{[^}]*})? [1-9]")
                .containsPattern("(?m)^keyledger_relay_send_failures_total(\\{[^}]*})? ")
                .containsPattern("(?m)^keyledger_relay_lag_seconds(\\{[^}]*})? ")
                .doesNotContain(organizationId);
    }

    /**
     * The relay stopped between send and token commit. A deferred constraint trigger on
     * {@code tokenentry} (test-only, created here, not in a migration) makes the commit of every
     * token change of {@code kafka-relay} fail while a row exists in {@code relay_fault}: the batch
     * has been sent and acknowledged, then its transaction dies at COMMIT, exactly as if the
     * process had been killed between the broker's ack and the token commit. With the fault
     * removed, the relay must send the same events again from the old token; the topic then holds
     * every stored event at least once (here at least twice), and for each aggregate the first
     * occurrences of the sequence numbers are complete and in order.
     */
    @Test
    void resendsABatchWhoseTokenCommitFailedAndLosesNothing() {
        String keyIdsOrganization = Ids.newOrganizationId();
        List<String> keyIds = List.of(Ids.newKeyId(), Ids.newKeyId(), Ids.newKeyId(), Ids.newKeyId());
        int eventsPerAggregate = 25;
        awaitRelayCaughtUp();
        armTokenCommitFault();
        try {
            String tokenBefore = relayToken();
            List<DomainEventMessage<?>> events = new ArrayList<>();
            for (int sequence = 0; sequence < eventsPerAggregate; sequence++) {
                for (String keyId : keyIds) {
                    events.add(new GenericDomainEventMessage<>(
                            "ApiKey", keyId, sequence, event(keyId, keyIdsOrganization, sequence)));
                }
            }
            eventStore.publish(events);

            try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
                topic.awaitRecordsOf(keyIds, found -> distinctEvents(found) == events.size());
                assertThat(relayToken())
                        .as("every event is on the topic, yet the token has not moved")
                        .isEqualTo(tokenBefore);

                disarmTokenCommitFault();
                awaitRelayCaughtUp();

                List<ConsumerRecord<String, byte[]>> records = topic.readToEnd().stream()
                        .filter(record -> keyIds.contains(record.key()))
                        .toList();
                Map<String, Long> copies = new LinkedHashMap<>();
                records.forEach(
                        record -> copies.merge(KeyEventsTopic.header(record, KeyEventHeaders.EVENT_ID), 1L, Long::sum));
                assertThat(copies).hasSize(events.size());
                assertThat(copies.values())
                        .as("each event was sent again")
                        .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(2));
                assertOrderedAndComplete(records, keyIds, eventsPerAggregate);
            }
        } finally {
            removeTokenCommitFault();
        }
    }

    /**
     * The broker refuses the records: the topic's {@code message.timestamp.before.max.ms} is set to
     * 0, so every record, stamped when it was sent and therefore already a few milliseconds old on
     * arrival, fails with the non-retriable {@code InvalidTimestampException}. (A size limit would
     * not do: the client splits an oversized batch again and again.) The relay must count the
     * failure, keep its token and retry the batch with a new producer; once the setting is
     * removed every event must arrive, in order.
     */
    @Test
    void keepsItsTokenWhileTheBrokerRefusesTheRecordsAndSendsThemOnceItAccepts() throws Exception {
        List<String> keyIds = List.of(Ids.newKeyId(), Ids.newKeyId());
        String organizationId = Ids.newOrganizationId();
        int eventsPerAggregate = 5;
        awaitRelayCaughtUp();
        double failuresBefore = failures();
        ConfigEntry refuseOld = new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, "0");
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
            alterTopic(admin, new AlterConfigOp(refuseOld, AlterConfigOp.OpType.SET));
            try {
                awaitBrokerRefusesOldRecords();
                String tokenBefore = relayToken();
                List<DomainEventMessage<?>> events = new ArrayList<>();
                for (int sequence = 0; sequence < eventsPerAggregate; sequence++) {
                    for (String keyId : keyIds) {
                        events.add(new GenericDomainEventMessage<>(
                                "ApiKey", keyId, sequence, event(keyId, organizationId, sequence)));
                    }
                }
                eventStore.publish(events);

                await().atMost(Duration.ofSeconds(90)).until(() -> failures() > failuresBefore);
                assertThat(relayToken())
                        .as("the token stays while the broker refuses")
                        .isEqualTo(tokenBefore);
            } finally {
                alterTopic(admin, new AlterConfigOp(refuseOld, AlterConfigOp.OpType.DELETE));
            }
        }

        awaitRelayCaughtUp();
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            List<ConsumerRecord<String, byte[]>> records =
                    topic.awaitRecordsOf(keyIds, found -> distinctEvents(found) == keyIds.size() * eventsPerAggregate);
            assertOrderedAndComplete(records, keyIds, eventsPerAggregate);
        }
    }

    /**
     * Decision record 0003: an append transaction stays open far longer than the gap timeout while
     * other appends commit after it, one of them an event created before the timeout and committed
     * after it (a slow command). With Axon's gap logic alone, reading that old event drops every gap
     * below it, the open transaction's index included, and its event is never relayed; the gap
     * settings are made as aggressive as they go (300 ms, cleaning on every fetch) so the test is
     * short. The relay must instead stay below the open transaction and relay everything once it
     * commits.
     */
    @Test
    void relaysAnEventWhoseTransactionStaysOpenLongerThanTheGapTimeout() throws Exception {
        JdbcEventStorageEngine engine = (JdbcEventStorageEngine) storageEngine;
        int gapTimeoutMillis = 300;
        String organizationId = Ids.newOrganizationId();
        // The slow transaction appends to an organization of its own: appends to one organization
        // wait for each other (its seq counter, db/command V4), appends to different ones do not.
        String slowOrganizationId = Ids.newOrganizationId();
        String slowKey = Ids.newKeyId();
        List<String> fastKeys = List.of(Ids.newKeyId(), Ids.newKeyId(), Ids.newKeyId());
        String lateKey = Ids.newKeyId();
        AtomicBoolean passedOpenTransaction = new AtomicBoolean();
        awaitRelayCaughtUp();
        engine.setGapTimeout(gapTimeoutMillis);
        engine.setGapCleaningThreshold(0);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> slowIndex = new CompletableFuture<>();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        try (ExecutorService slowAppender = Executors.newSingleThreadExecutor()) {
            Future<?> slowCommit = slowAppender.submit(() -> transaction.executeWithoutResult(status -> {
                eventStore.publish(new GenericDomainEventMessage<>(
                        "ApiKey", slowKey, 0, issuedOrRenamed(slowKey, slowOrganizationId)));
                slowIndex.complete(jdbc.sql("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ?")
                        .param(slowKey)
                        .query(Long.class)
                        .single());
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            long heldIndex = slowIndex.get(30, TimeUnit.SECONDS);
            for (String fastKey : fastKeys) {
                eventStore.publish(new GenericDomainEventMessage<>(
                        "ApiKey", fastKey, 0, issuedOrRenamed(fastKey, organizationId)));
            }
            assertThat(jdbc.sql("SELECT min(globalindex) FROM domainevententry WHERE aggregateidentifier IN (?, ?, ?)")
                            .params(fastKeys)
                            .query(Long.class)
                            .single())
                    .as("the later events committed above the open transaction's index")
                    .isGreaterThan(heldIndex);

            DomainEventMessage<?> lateEvent =
                    new GenericDomainEventMessage<>("ApiKey", lateKey, 0, issuedOrRenamed(lateKey, organizationId));
            holdOpen(Duration.ofMillis(3L * gapTimeoutMillis), heldIndex, passedOpenTransaction);
            eventStore.publish(lateEvent);
            holdOpen(Duration.ofMillis(5L * gapTimeoutMillis), heldIndex, passedOpenTransaction);

            release.countDown();
            slowCommit.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            engine.setGapTimeout(
                    environment.getProperty("keyledger.event-store.gap-timeout-millis", Integer.class, 10_000));
            engine.setGapCleaningThreshold(
                    environment.getProperty("keyledger.event-store.gap-cleaning-threshold", Integer.class, 250));
        }

        List<String> allKeys = new ArrayList<>(fastKeys);
        allKeys.add(lateKey);
        allKeys.add(slowKey);
        try (KeyEventsTopic topic = KeyEventsTopic.fromBeginning()) {
            List<ConsumerRecord<String, byte[]>> records =
                    topic.awaitRecordsOf(allKeys, found -> distinctEvents(found) == allKeys.size());
            assertOrderedAndComplete(records, allKeys, 1);
        }
        assertThat(passedOpenTransaction)
                .as("the relay's token stayed below the open transaction")
                .isFalse();
    }

    /** Keeps the transaction open for {@code duration}, noting whether the relay's token passed it. */
    private void holdOpen(Duration duration, long heldIndex, AtomicBoolean passed) {
        await().during(duration).atMost(duration.plusSeconds(30)).until(() -> {
            if (relayTokenIndex() >= heldIndex) {
                passed.set(true);
            }
            return true;
        });
    }

    private static void alterTopic(Admin admin, AlterConfigOp operation) throws Exception {
        admin.incrementalAlterConfigs(
                        Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.KEY_EVENTS), List.of(operation)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * The config change reaches the partition leaders asynchronously; a probe without retries shows
     * it has. A probe accepted before that lands under a key no test reads.
     */
    private static void awaitBrokerRefusesOldRecords() {
        try (KafkaProducer<String, byte[]> probe = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.RETRIES_CONFIG,
                0))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    int partitions = probe.partitionsFor(Topics.KEY_EVENTS).size();
                    for (int partition = 0; partition < partitions; partition++) {
                        long aMinuteAgo = System.currentTimeMillis() - 60_000;
                        probe.send(new ProducerRecord<>(
                                        Topics.KEY_EVENTS, partition, aMinuteAgo, "relay-test-probe", new byte[1]))
                                .get(10, TimeUnit.SECONDS);
                    }
                    return false;
                } catch (ExecutionException e) {
                    return e.getCause() instanceof InvalidTimestampException;
                }
            });
        }
    }

    private static ApiKeyIssuedEvent issuedOrRenamed(String keyId, String organizationId) {
        return new ApiKeyIssuedEvent(
                keyId, organizationId, null, ApiKeyType.SECRET, "key", "cd".repeat(32), "ABCD", null, null, null);
    }

    private static Object event(String keyId, String organizationId, int sequence) {
        return sequence == 0
                ? issuedOrRenamed(keyId, organizationId)
                : new ApiKeyRenamedEvent(keyId, organizationId, "name " + sequence);
    }

    /**
     * What a consumer that deduplicates on (aggregate id, sequence number) sees: per aggregate, the
     * first occurrence of each sequence number, in the order of the partition.
     */
    static void assertOrderedAndComplete(
            List<ConsumerRecord<String, byte[]>> records, List<String> aggregateIds, int eventsPerAggregate) {
        for (String aggregateId : aggregateIds) {
            List<Long> firstOccurrences = records.stream()
                    .filter(record -> record.key().equals(aggregateId))
                    .map(record -> KeyledgerJson.readEnvelope(record.value()).sequenceNumber())
                    .distinct()
                    .toList();
            assertThat(firstOccurrences)
                    .as("sequence numbers of %s after deduplication", aggregateId)
                    .containsExactlyElementsOf(
                            LongStream.range(0, eventsPerAggregate).boxed().toList());
            assertThat(records.stream()
                            .filter(record -> record.key().equals(aggregateId))
                            .map(ConsumerRecord::partition)
                            .distinct())
                    .as("one partition per aggregate")
                    .hasSize(1);
        }
    }

    private static long distinctEvents(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .map(record -> KeyEventsTopic.header(record, KeyEventHeaders.EVENT_ID))
                .distinct()
                .count();
    }

    /** Waits until the committed token covers every stored event. */
    private void awaitRelayCaughtUp() {
        long lastIndex = jdbc.sql("SELECT coalesce(max(globalindex), 0) FROM domainevententry")
                .query(Long.class)
                .single();
        if (lastIndex > 0) {
            await().atMost(Duration.ofSeconds(90)).until(() -> relayTokenIndex() >= lastIndex);
        }
    }

    private void armTokenCommitFault() {
        jdbc.sql("CREATE TABLE relay_fault (armed BOOLEAN)").update();
        jdbc.sql("""
                        CREATE FUNCTION relay_fault_on_token_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF EXISTS (SELECT 1 FROM relay_fault) THEN
                                RAISE EXCEPTION 'test fault: token commit of % refused', NEW.processorname;
                            END IF;
                            RETURN NULL;
                        END $$""").update();
        jdbc.sql("""
                        CREATE CONSTRAINT TRIGGER relay_fault_on_token_commit
                            AFTER UPDATE ON tokenentry
                            DEFERRABLE INITIALLY DEFERRED
                            FOR EACH ROW
                            WHEN (NEW.processorname = 'kafka-relay' AND OLD.token IS DISTINCT FROM NEW.token)
                            EXECUTE FUNCTION relay_fault_on_token_commit()""").update();
        jdbc.sql("INSERT INTO relay_fault VALUES (true)").update();
    }

    private void disarmTokenCommitFault() {
        jdbc.sql("DELETE FROM relay_fault").update();
    }

    private void removeTokenCommitFault() {
        jdbc.sql("DROP TRIGGER IF EXISTS relay_fault_on_token_commit ON tokenentry")
                .update();
        jdbc.sql("DROP FUNCTION IF EXISTS relay_fault_on_token_commit()").update();
        jdbc.sql("DROP TABLE IF EXISTS relay_fault").update();
    }

    private String relayToken() {
        return jdbc.sql("SELECT convert_from(token, 'UTF8') FROM tokenentry WHERE processorname = 'kafka-relay'")
                .query(String.class)
                .list()
                .toString();
    }

    /**
     * The committed position of the relay: the highest global index its (gap-aware) token has seen,
     * the lowest over its segments.
     */
    private long relayTokenIndex() throws Exception {
        long index = Long.MAX_VALUE;
        for (String token : jdbc.sql(
                        "SELECT convert_from(token, 'UTF8') FROM tokenentry WHERE processorname = 'kafka-relay'")
                .query(String.class)
                .list()) {
            index = Math.min(
                    index,
                    token == null
                            ? -1
                            : KeyledgerJson.mapper()
                                    .readTree(token)
                                    .path("index")
                                    .asLong(-1));
        }
        return index == Long.MAX_VALUE ? -1 : index;
    }

    private DomainEventMessage<?> single(String aggregateId) {
        return eventStore.readEvents(aggregateId).asStream().findFirst().orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> recordOf(List<ConsumerRecord<String, byte[]>> records, String key) {
        return records.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    private double failures() {
        return meters.get("keyledger.relay.send.failures").counter().count();
    }

    private double published() {
        return meters.get("keyledger.relay.events.published").counter().count();
    }
}
