package dev.keyledger.query.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.KeyledgerEvent;
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
import dev.keyledger.contracts.kafka.KeyEventEnvelope;
import dev.keyledger.contracts.kafka.KeyEventHeaders;
import dev.keyledger.contracts.kafka.KeyEventTypes;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Projection throughput during a rebuild. Runs only when {@code keyledger.benchmark.events} is set
 * (see {@code query-service/bench/rebuild-benchmark.sh}): writes that many events in a realistic
 * mix, waits until they are projected incrementally, then rebuilds from offset 0 and reports the
 * replay rate. Results go to stdout and {@code target/benchmark-rebuild.txt}.
 */
@EnabledIfSystemProperty(named = "keyledger.benchmark.events", matches = "\\d+")
class ProjectionRebuildBenchmarkIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int DATABASES_PER_ORG = 4;
    private static final int KEYS_PER_ORG = 100;

    @Test
    void rebuildThroughput() throws Exception {
        long target = Long.getLong("keyledger.benchmark.events");
        long produceStart = System.nanoTime();
        long produced = produce(target);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
        awaitProjectedFor(Duration.ofMinutes(30));
        double incrementalSeconds = (System.nanoTime() - produceStart) / 1e9;
        long rows = jdbc.queryForObject("SELECT count(*) FROM audit_log", Long.class);

        Timestamp startedBefore = jdbc.queryForObject("SELECT started_at FROM projection_state", Timestamp.class);
        long rebuildStart = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/admin/rebuild"))
                        .header("Authorization", "Bearer " + TestTokens.platformAdmin())
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, Object> state = jdbc.queryForMap("SELECT rebuilding, started_at FROM projection_state");
                    return !(Boolean) state.get("rebuilding")
                            && !Objects.equals(state.get("started_at"), startedBefore);
                });
        double rebuildWall = (System.nanoTime() - rebuildStart) / 1e9;
        JsonNode progress = KeyledgerJson.mapper()
                .readTree(
                        get("/api/v1/admin/rebuild", TestTokens.platformAdmin()).body());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log", Long.class))
                .isEqualTo(rows);

        String report = String.format(
                "events produced: %d in %.1f s%n"
                        + "incremental: produced and projected (with active-key publishing) after %.1f s: %.0f events/s%n"
                        + "rebuild: %d events applied, %.0f events/s (replay incl. snapshot publish), wall %.1f s%n"
                        + "audit rows: %d, keys: %d%n",
                produced,
                produceSeconds,
                incrementalSeconds,
                produced / incrementalSeconds,
                rows,
                progress.path("events_per_second").asDouble(),
                rebuildWall,
                rows,
                jdbc.queryForObject("SELECT count(*) FROM api_keys", Long.class));
        System.out.print(report);
        Files.writeString(Path.of("target", "benchmark-rebuild.txt"), report);
    }

    private void awaitProjectedFor(Duration atMost) {
        Map<Integer, Long> end = endOffsets(Topics.KEY_EVENTS);
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<Integer, Long> stored = new java.util.HashMap<>();
            jdbc.query(
                    "SELECT partition, next_offset FROM projection_offsets WHERE topic = ?",
                    rs -> {
                        stored.put(rs.getInt(1), rs.getLong(2));
                    },
                    Topics.KEY_EVENTS);
            return end.entrySet().stream()
                    .allMatch(e -> e.getValue() == 0 || stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
    }

    /** Organizations with databases and keys: issue, rename, roll, revoke, origin and plan changes. */
    private static long produce(long target) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Instant clock = Instant.parse("2026-01-01T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.ACKS_CONFIG,
                        "1"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            Emitter emitter = new Emitter(producer, sent, failure, clock);
            while (sent.get() < target) {
                String org = Ids.newOrganizationId();
                emitter.emit(
                        new OrganizationCreatedEvent(org, "bench " + org, Plan.STARTER, Plan.STARTER.defaultLimits()),
                        0);
                List<String> databases = new ArrayList<>();
                for (int d = 0; d < DATABASES_PER_ORG; d++) {
                    String db = Ids.newDatabaseId();
                    databases.add(db);
                    emitter.emit(
                            new DatabaseCreatedEvent(db, org, "db " + d, List.of("https://app" + d + ".example.com")),
                            0);
                }
                for (int k = 0; k < KEYS_PER_ORG; k++) {
                    ApiKeyType type = k % 2 == 0 ? ApiKeyType.PUBLIC : ApiKeyType.SECRET;
                    String db = type == ApiKeyType.PUBLIC ? databases.get(k % DATABASES_PER_ORG) : null;
                    String keyId = Ids.newKeyId();
                    GeneratedApiKey key = ApiKeyFormat.generate(type);
                    emitter.emit(
                            new ApiKeyIssuedEvent(
                                    keyId,
                                    org,
                                    db,
                                    type,
                                    "key " + k,
                                    key.hash(),
                                    key.lastFour(),
                                    type == ApiKeyType.PUBLIC ? key.plaintext() : null,
                                    null,
                                    null),
                            0);
                    emitter.emit(new ApiKeyRenamedEvent(keyId, org, "key " + k + " renamed"), 1);
                    if (k % 10 == 0) {
                        emitter.emit(new ApiKeyRevokedEvent(keyId, org), 2);
                    } else if (k % 20 == 1) {
                        String successor = Ids.newKeyId();
                        emitter.emit(new ApiKeyRolledEvent(keyId, org, successor, clock.plus(Duration.ofDays(7))), 2);
                    }
                }
                emitter.emit(
                        new AllowedOriginsChangedEvent(databases.getFirst(), org, List.of("https://new.example.com")),
                        1);
                emitter.emit(new OrganizationPlanChangedEvent(org, Plan.PRO, Plan.PRO.defaultLimits()), 1);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return sent.get();
    }

    private record Emitter(
            KafkaProducer<String, byte[]> producer,
            AtomicLong sent,
            AtomicReference<Exception> failure,
            Instant clock) {

        void emit(KeyledgerEvent event, long sequence) {
            KeyEventTypes.Type type = KeyEventTypes.of(event.getClass());
            KeyEventEnvelope envelope = new KeyEventEnvelope(
                    "evt_" + Ids.ulid(),
                    event.aggregateId(),
                    type.aggregateType(),
                    sequence,
                    type.name(),
                    type.revision(),
                    clock.plusMillis(sent.get()),
                    KeyEvents.ALICE,
                    KeyledgerJson.tree(event));
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(Topics.KEY_EVENTS, event.aggregateId(), KeyledgerJson.write(envelope));
            record.headers()
                    .add(KeyEventHeaders.EVENT_ID, envelope.eventId().getBytes(StandardCharsets.UTF_8))
                    .add(KeyEventHeaders.EVENT_TYPE, type.name().getBytes(StandardCharsets.UTF_8))
                    .add(KeyEventHeaders.EVENT_REVISION, type.revision().getBytes(StandardCharsets.UTF_8));
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            });
            sent.incrementAndGet();
        }
    }
}
