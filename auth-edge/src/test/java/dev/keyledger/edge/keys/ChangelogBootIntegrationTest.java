package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.edge.AuthEdgeApplication;
import dev.keyledger.edge.TestKeys;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An edge that boots while the read side is dead: the changelog holds keys and the last heartbeats,
 * an hour old. The edge catches up (it holds the key) but never serves it: the heartbeats read
 * during the catch-up count with their own age, so it stays 503 and not ready. When the read side
 * comes back (fresh heartbeats) it serves the key by itself. Its own topics.
 */
@SpringBootTest(
        classes = AuthEdgeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=auth-edge",
            "management.server.port=0",
            "keyledger.keys.topic=" + ChangelogBootIntegrationTest.ACTIVE_KEYS,
            "keyledger.keys.key-events-topic=" + ChangelogBootIntegrationTest.KEY_EVENTS,
            "keyledger.keys.staleness-bound=3s",
            "keyledger.usage.enabled=false"
        })
class ChangelogBootIntegrationTest {

    static final String ACTIVE_KEYS = "keyledger.active-keys.boot-it";
    static final String KEY_EVENTS = "keyledger.key-events.boot-it";
    private static final int PARTITIONS = 2;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaProducer<String, byte[]> producer;
    private static TestKey key;

    @LocalServerPort
    int port;

    @Autowired
    ChangelogState state;

    @Autowired
    ActiveKeyTable table;

    @Autowired
    ActiveKeysHealthIndicator health;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    }

    /** Runs before the edge starts: what a dead read side leaves behind on the changelog. */
    @BeforeAll
    static void changelogOfADeadReadSide() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(KEY_EVENTS, PARTITIONS, (short) 1),
                            new NewTopic(ACTIVE_KEYS, 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        key = TestKeys.secret(Ids.newOrganizationId(), 100_000, 1_000_000);
        send(key.hash(), KeyledgerJson.write(key.entry()));
        heartbeats(Instant.now().minus(Duration.ofHours(1)));
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void anEdgeBootingOnOldHeartbeatsStaysClosedAndOpensWhenTheReadSideReturns() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(state::caughtUp);
        long[] hash = new long[4];
        KeyHashes.parseHex(key.hash(), hash);
        assertThat(table.get(hash[0], hash[1], hash[2], hash[3])).isNotNull();

        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .until(() -> keyCheck().statusCode() == 503);
        assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.health().getDetails())
                .containsEntry("partitions", PARTITIONS)
                .containsEntry("partitions_without_heartbeat", 0);
        assertThat((Long) health.health().getDetails().get("oldest_heartbeat_age_ms"))
                .isGreaterThanOrEqualTo(Duration.ofHours(1).toMillis());

        heartbeats(Instant.now());

        await().atMost(Duration.ofSeconds(30)).until(() -> keyCheck().statusCode() == 200);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    private static void heartbeats(Instant readAt) throws Exception {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            send(
                    Topics.HEARTBEAT_KEY_PREFIX + partition,
                    KeyledgerJson.write(new ChangelogHeartbeat(partition, PARTITIONS, 10, readAt, "query-dead")));
        }
    }

    private static void send(String recordKey, byte[] value)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        producer.send(new ProducerRecord<>(ACTIVE_KEYS, recordKey, value)).get(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> keyCheck() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_keyledger/auth"))
                .timeout(Duration.ofSeconds(10))
                .header("X-API-Key", key.plaintext())
                .GET()
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
