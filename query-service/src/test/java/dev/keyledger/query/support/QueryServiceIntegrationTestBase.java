package dev.keyledger.query.support;

import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.query.QueryServiceApplication;
import dev.keyledger.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context for every integration test of this module (same class, same properties):
 * a real PostgreSQL database, the shared Kafka broker with a three-partition
 * {@code keyledger.key-events}, and a test JWKS. Tests isolate themselves by using fresh
 * organization ids, never by separate contexts.
 */
@SpringBootTest(
        classes = QueryServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=query-service",
            "management.server.port=0",
            "keyledger.projection.progress-interval=1s"
        })
public abstract class QueryServiceIntegrationTestBase {

    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    protected static KeyEvents events;

    @LocalServerPort
    protected int port;

    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "query");
        createTopic(KeyledgerTopics.KEY_EVENTS, 3);
        createTopic(KeyledgerTopics.KEY_USAGE, 3);
        createTopic(KeyledgerTopics.SECURITY_LOG, 3);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestTokens::jwksUri);
        registry.add("keyledger.security.issuer", () -> TestTokens.ISSUER);
        registry.add("spring.security.oauth2.resourceserver.jwt.audiences", () -> TestTokens.AUDIENCE);
    }

    @BeforeAll
    static void openProducer() {
        events = new KeyEvents(TestInfrastructure.kafkaBootstrapServers());
    }

    @AfterAll
    static void closeProducer() {
        events.close();
    }

    /** Creates {@code topic} as its one declaration says, with {@code partitions} partitions. */
    protected static void createTopic(KeyledgerTopics.Spec topic, int partitions) {
        createTopic(topic.name(), partitions, topic.configs());
    }

    protected static void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected static Admin admin() {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()));
    }

    /** Waits until the projection has committed everything written to the topic so far. */
    protected void awaitProjected() {
        awaitProjected(Topics.KEY_EVENTS);
    }

    /** The same for a context whose projection reads {@code topic} ({@code keyledger.projection.topic}). */
    protected void awaitProjected(String topic) {
        Map<Integer, Long> end = endOffsets(topic);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Map<Integer, Long> stored = jdbc
                            .queryForList(
                                    "SELECT partition, next_offset FROM projection_offsets WHERE topic = ?", topic)
                            .stream()
                            .collect(Collectors.toMap(
                                    row -> ((Number) row.get("partition")).intValue(),
                                    row -> ((Number) row.get("next_offset")).longValue()));
                    boolean rebuilding = Boolean.TRUE.equals(
                            jdbc.queryForObject("SELECT rebuilding FROM projection_state", Boolean.class));
                    return !rebuilding
                            && end.entrySet().stream()
                                    .allMatch(e ->
                                            e.getValue() == 0 || stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
                });
    }

    /** Waits until the usage projection has committed everything written to the usage topic so far. */
    protected void awaitUsageCounted() {
        awaitUsageCounted(Duration.ofSeconds(60));
    }

    protected void awaitUsageCounted(Duration atMost) {
        Map<Integer, Long> end = endOffsets(Topics.KEY_USAGE);
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<Integer, Long> stored = usageOffsets();
            return end.entrySet().stream()
                    .allMatch(e -> e.getValue() == 0 || stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
    }

    protected Map<Integer, Long> usageOffsets() {
        return jdbc
                .queryForList("SELECT partition, next_offset FROM usage_offsets WHERE topic = ?", Topics.KEY_USAGE)
                .stream()
                .collect(Collectors.toMap(
                        row -> ((Number) row.get("partition")).intValue(),
                        row -> ((Number) row.get("next_offset")).longValue()));
    }

    protected static Map<Integer, Long> endOffsets(String topic) {
        try (Admin admin = admin()) {
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> post(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> get(String path, String token) {
        return get(path, token, "application/json");
    }

    protected HttpResponse<String> get(String path, String token, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", accept)
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
