package dev.keyledger.edge;

import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.DatabaseEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.edge.TestKeys.TestKey;
import dev.keyledger.edge.keys.ActiveKeyTable;
import dev.keyledger.edge.keys.KeyHashes;
import dev.keyledger.testsupport.TestInfrastructure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One edge context for every HTTP integration test (same configuration, so Spring caches it): real
 * Kafka feeding the table, the in-memory limiter, and a {@link TestUpstream} behind proxy mode. Keys
 * are produced to {@code keyledger.active-keys} with a plain producer, as the query-service does.
 */
@SpringBootTest(
        classes = AuthEdgeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=auth-edge",
            "management.server.port=0",
            "keyledger.proxy.response-timeout=2s",
            "keyledger.usage.linger=5ms"
        })
public abstract class EdgeIntegrationTestBase {

    protected static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaProducer<String, byte[]> producer;

    @LocalServerPort
    protected int port;

    @Autowired
    protected ActiveKeyTable table;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("keyledger.proxy.upstream", () -> "http://127.0.0.1:" + TestUpstream.port());
    }

    @BeforeEach
    void waitForTable() {
        // The edge fails closed without changelog heartbeats; publish them as the query-service does.
        TestHeartbeats.ensureDefault(TestInfrastructure.kafkaBootstrapServers());
        await().atMost(Duration.ofSeconds(60)).until(() -> status(get("/_keyledger/auth", Map.of())) != 503);
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    protected static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        }
        return producer;
    }

    /** Publishes the key's entry and waits until the edge's table holds it. */
    protected TestKey activate(TestKey key) {
        send(key.hash(), KeyledgerJson.write(key.entry()));
        await().atMost(Duration.ofSeconds(30)).until(() -> inTable(key.hash()));
        return key;
    }

    /** Publishes a database record (its organization) and waits until the edge's table knows it. */
    protected void publishDatabase(String databaseId, String organizationId) {
        send(
                Topics.DATABASE_KEY_PREFIX + databaseId,
                KeyledgerJson.write(new DatabaseEntry(databaseId, organizationId, List.of())));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> organizationId.equals(table.organizationOfDatabase(databaseId)));
    }

    /** Publishes a tombstone for the key (revocation or expiry) and waits until the table drops it. */
    protected void revoke(TestKey key) {
        send(key.hash(), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> !inTable(key.hash()));
    }

    private void send(String recordKey, byte[] value) {
        try {
            producer()
                    .send(new ProducerRecord<>(Topics.ACTIVE_KEYS, recordKey, value))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot publish a test key", e);
        }
    }

    private boolean inTable(String hash) {
        long[] words = new long[4];
        KeyHashes.parseHex(hash, words);
        return table.get(words[0], words[1], words[2], words[3]) != null;
    }

    protected static String newOrganization() {
        return Ids.newOrganizationId();
    }

    protected static String newDatabase() {
        return Ids.newDatabaseId();
    }

    /** Waits while the current UTC minute is about to end, so a short rate-limit test sees one window. */
    protected static void awaitFreshMinute() {
        // From second 50 the next minute is up to 10 s away: wait longer than that.
        await().atMost(Duration.ofSeconds(25))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 50);
    }

    protected HttpResponse<String> get(String path, Map<String, String> headers) {
        return send("GET", path, headers, HttpRequest.BodyPublishers.noBody());
    }

    protected HttpResponse<String> send(
            String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body);
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

    protected static int status(HttpResponse<?> response) {
        return response.statusCode();
    }

    protected static Map<String, String> headers(String... pairs) {
        java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    protected static List<String> rateLimitHeaders(HttpResponse<?> response) {
        return List.of(
                response.headers().firstValue("X-RateLimit-Limit").orElse(""),
                response.headers().firstValue("X-RateLimit-Remaining").orElse(""),
                response.headers().firstValue("X-RateLimit-Reset").orElse(""));
    }
}
