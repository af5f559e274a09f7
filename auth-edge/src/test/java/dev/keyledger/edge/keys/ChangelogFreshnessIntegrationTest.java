package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.edge.AuthEdgeApplication;
import dev.keyledger.edge.TestHeartbeats;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Freshness on data, on real Kafka: heartbeats for three key-events partitions published every
 * 300 ms as the query-service would, a 3 s staleness bound. While all three flow the edge stays
 * fresh; when one partition's heartbeats stop (a wedged or dead read-side instance) the edge fails
 * closed after the bound and says so in health and metrics; when they resume it recovers by itself.
 * Its own topics, so the other edge tests' heartbeats cannot mask a stopped partition.
 */
@SpringBootTest(
        classes = AuthEdgeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=auth-edge",
            "management.server.port=0",
            "keyledger.keys.topic=" + ChangelogFreshnessIntegrationTest.ACTIVE_KEYS,
            "keyledger.keys.key-events-topic=" + ChangelogFreshnessIntegrationTest.KEY_EVENTS,
            "keyledger.keys.staleness-bound=3s",
            "keyledger.keys.partition-check-interval=1s",
            "keyledger.usage.enabled=false"
        })
class ChangelogFreshnessIntegrationTest {

    static final String ACTIVE_KEYS = "keyledger.active-keys.freshness-it";
    static final String KEY_EVENTS = "keyledger.key-events.freshness-it";
    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final int WEDGED_PARTITION = 1;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestHeartbeats heartbeats;
    private static KafkaProducer<String, byte[]> producer;
    private static TestKey key;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    ActiveKeyTable table;

    @Autowired
    ActiveKeysHealthIndicator health;

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    }

    @BeforeAll
    static void startHeartbeats() {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        heartbeats = TestHeartbeats.start(bootstrap, KEY_EVENTS, 3, ACTIVE_KEYS, Duration.ofMillis(300));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void stopHeartbeats() {
        heartbeats.close();
        producer.close();
    }

    @BeforeEach
    void activeKeyAndFreshEdge() throws Exception {
        heartbeats.resume(WEDGED_PARTITION);
        if (key == null) {
            key = TestKeys.secret(Ids.newOrganizationId(), 100_000, 1_000_000);
            producer.send(new ProducerRecord<>(ACTIVE_KEYS, key.hash(), KeyledgerJson.write(key.entry())))
                    .get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> keyCheck().statusCode() == 200);
    }

    @Test
    void aHealthyIdleSystemWithHeartbeatsFlowingNeverTripsTheBound() {
        await().during(BOUND.multipliedBy(3))
                .atMost(BOUND.multipliedBy(5))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> keyCheck().statusCode() == 200
                        && health.health().getStatus().equals(Status.UP)
                        && staleness() < BOUND.toSeconds());

        assertThat(health.health().getDetails())
                .containsEntry("partitions", 3)
                .containsEntry("partitions_without_heartbeat", 0)
                .containsEntry("stale", false);
    }

    @Test
    void aPartitionWhoseHeartbeatsStopFailsClosedAfterTheBoundAndRecoversWhenTheyResume() throws Exception {
        heartbeats.pause(WEDGED_PARTITION);
        long paused = System.nanoTime();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> keyCheck().statusCode() == 503);
        long failedClosed = System.nanoTime();
        HttpResponse<String> refused = keyCheck();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(refused.body())
                .isEqualTo("{\"error\":\"service_unavailable\",\"message\":\"Key verification is temporarily"
                        + " unavailable\",\"code\":\"SERVICE_UNAVAILABLE\"}");
        Health stale = health.health();
        assertThat(stale.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(stale.getDetails())
                .containsEntry("stale", true)
                .containsEntry("oldest_partition", WEDGED_PARTITION)
                .containsEntry("partitions_without_heartbeat", 0);
        assertThat((Long) stale.getDetails().get("oldest_heartbeat_age_ms")).isGreaterThan(BOUND.toMillis());
        assertThat(staleness()).isGreaterThan(BOUND.toSeconds());
        assertThat(readiness()).isEqualTo(503);

        heartbeats.resume(WEDGED_PARTITION);
        long resumed = System.nanoTime();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> keyCheck().statusCode() == 200);
        long recovered = System.nanoTime();
        System.out.printf(
                "Edge freshness: 503 %d ms after the heartbeats of partition %d stopped (bound %d ms,"
                        + " heartbeats every 300 ms); 200 again %d ms after they resumed%n",
                TimeUnit.NANOSECONDS.toMillis(failedClosed - paused),
                WEDGED_PARTITION,
                BOUND.toMillis(),
                TimeUnit.NANOSECONDS.toMillis(recovered - resumed));
        await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(staleness()).isLessThan(BOUND.toSeconds());
    }

    private double staleness() {
        return registry.get("keyledger_edge_changelog_staleness_seconds")
                .gauge()
                .value();
    }

    private HttpResponse<String> keyCheck() {
        return send(port, "/_keyledger/auth", Map.of("X-API-Key", key.plaintext()));
    }

    private int readiness() {
        return send(managementPort, "/actuator/health/readiness", Map.of()).statusCode();
    }

    private static HttpResponse<String> send(int port, String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        headers.forEach(builder::header);
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
