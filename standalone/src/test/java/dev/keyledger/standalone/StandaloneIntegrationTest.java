package dev.keyledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole standalone in this JVM on a temporary data directory and free ports. Every test works
 * against the running platform; the restart test stops it and starts it again on the same data
 * directory, leaving it running for the others, so the tests do not depend on their order.
 */
class StandaloneIntegrationTest {

    private static final String HOST = "127.0.0.1";
    private static final String TEST_TOPIC = "standalone.integration-test";
    /** Every call's answer is awaited at most this long, so a platform that stops answering fails a test, not the build. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    /** Replaced after the restart, so no call after it goes out on a connection pooled before it. */
    private static HttpClient http = newHttpClient();

    @TempDir
    static Path dataDir;

    private static final List<String> ARGS = new ArrayList<>();
    private static int postgresPort;
    private static int kafkaPort;
    private static int idpPort;
    private static int upstreamPort;
    private static final Map<String, Integer> SERVICE_PORTS = new HashMap<>();
    private static final Map<String, Integer> MANAGEMENT_PORTS = new HashMap<>();
    private static ConfigurableApplicationContext standalone;

    @BeforeAll
    static void start() throws IOException {
        postgresPort = freePort();
        kafkaPort = freePort();
        idpPort = freePort();
        upstreamPort = freePort();
        ARGS.add("--keyledger.standalone.data-dir=" + dataDir);
        ARGS.add("--keyledger.standalone.postgres.port=" + postgresPort);
        ARGS.add("--keyledger.standalone.kafka.port=" + kafkaPort);
        ARGS.add("--keyledger.standalone.kafka.controller-port=" + freePort());
        ARGS.add("--keyledger.standalone.idp.port=" + idpPort);
        ARGS.add("--keyledger.standalone.upstream.port=" + upstreamPort);
        for (ServiceDefinition service : ServiceCatalog.SERVICES) {
            int port = freePort();
            SERVICE_PORTS.put(service.name(), port);
            ARGS.add("--keyledger.standalone.services." + service.name() + ".port=" + port);
            int managementPort = freePort();
            MANAGEMENT_PORTS.put(service.name(), managementPort);
            ARGS.add("--keyledger.standalone.services." + service.name() + ".management-port=" + managementPort);
        }
        standalone = StandaloneApplication.start(ARGS.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void issuesTokensThatVerifyAgainstItsJwks() throws Exception {
        SignedJWT jwt = SignedJWT.parse(token("alice", "org_01JH0000000000000000000000", "org_admin"));

        RSAKey key = (RSAKey) JWKSet.parse(get(idp("/.well-known/jwks.json")).body())
                .getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("http://localhost:" + idpPort);
    }

    @Test
    void demoUpstreamEchoesTheCallerHeaders() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + upstreamPort + "/api/v1/chat/message"))
                        .header("X-Keyledger-Organization-Id", "org_1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = JSONObjectUtils.parse(response.body());
        assertThat(body).containsKeys("reply", "conversation_id");
        assertThat(JSONObjectUtils.getJSONObject(body, "caller")).containsEntry("X-Keyledger-Organization-Id", "org_1");
    }

    @Test
    void brokerHoldsTheKeyledgerTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                            Set.of(Topics.KEY_EVENTS, Topics.ACTIVE_KEYS, Topics.KEY_USAGE))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics.values())
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));
            ConfigResource activeKeys = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ACTIVE_KEYS);
            ConfigEntry cleanupPolicy = admin.describeConfigs(Set.of(activeKeys))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(activeKeys)
                    .get("cleanup.policy");
            assertThat(cleanupPolicy.value()).isEqualTo("compact");
        }
    }

    @Test
    void brokerCarriesRecords() throws Exception {
        String value = "record-" + UUID.randomUUID();

        produce(value);

        assertThat(consumeAll()).contains(value);
    }

    @Test
    void postgresHasTheServiceDatabases() throws Exception {
        try (Connection connection = postgres("postgres");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE 'keyledger_%' ORDER BY datname")) {
            List<String> names = new ArrayList<>();
            while (result.next()) {
                names.add(result.getString(1));
            }
            assertThat(names).containsExactly("keyledger_command", "keyledger_query");
        }
    }

    @Test
    void commandServiceRunsAgainstTheEmbeddedInfrastructure() throws Exception {
        String organization = createOrganization(token("root", null, "platform_admin"));

        assertThat(organization).startsWith("org_");
    }

    @Test
    void noServletApplicationHooksEveryReactorChainOfTheEdge() throws Exception {
        // Spring Security's servlet-to-Reactor bridge would wrap the last operator of every
        // Reactor chain in the JVM, the edge's included (sharedjvm.NoServletReactorContextHook).
        java.lang.reflect.Method hooks = reactor.core.publisher.Hooks.class.getDeclaredMethod("getOnLastOperatorHooks");
        hooks.setAccessible(true);

        assertThat(((Map<?, ?>) hooks.invoke(null)).keySet().stream().map(String::valueOf))
                .doesNotContain("org.springframework.security.SECURITY_REACTOR_CONTEXT_OPERATOR");
    }

    @Test
    void aBodyTooLargeForTheDemoUpstreamGetsIts413ThroughTheEdge() throws Exception {
        String key = issueSecretKey();
        byte[] body = new byte[3_000_000];
        java.util.Arrays.fill(body, (byte) 'y');

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = send(
                    HttpRequest.newBuilder(service("auth-edge", "/api/v1/upload"))
                            .header("X-API-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as("try %d", i).isEqualTo(413);
            assertThat(JSONObjectUtils.parse(response.body())).containsEntry("code", "PAYLOAD_TOO_LARGE");
        }
    }

    @Test
    void edgeGuardsTheDemoUpstream() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(service("auth-edge", "/api/v1/chat/message"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSONObjectUtils.parse(response.body())).containsEntry("code", "INVALID_API_KEY");
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        String marker = "marker-" + UUID.randomUUID();
        try (Connection connection = postgres("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS standalone_restart (marker text)");
            statement.execute("INSERT INTO standalone_restart VALUES ('" + marker + "')");
        }
        produce(marker);
        String organization = createOrganization(token("root", null, "platform_admin"));
        String organizationAdmin = token("alice", organization, "org_admin");
        String strangerAdmin = token("mallory", "org_01JH0000000000000000000000", "org_admin");

        standalone.close();
        http.shutdownNow();
        http = newHttpClient();
        standalone = StandaloneApplication.start(ARGS.toArray(String[]::new));

        try (Connection connection = postgres("postgres");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT marker FROM standalone_restart")) {
            List<String> markers = new ArrayList<>();
            while (result.next()) {
                markers.add(result.getString(1));
            }
            assertThat(markers).contains(marker);
        }
        assertThat(consumeAll()).contains(marker);
        // Tokens signed before the restart still verify, and the organization is still known: a
        // database can be created in it, while an unknown organization answers 404.
        assertThat(createDatabase(organizationAdmin, organization).statusCode()).isEqualTo(201);
        assertThat(createDatabase(strangerAdmin, "org_01JH0000000000000000000000")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void queryServiceAcceptsTheDevelopmentTokensToo() throws Exception {
        String organization = createOrganization(token("root", null, "platform_admin"));

        HttpResponse<String> response = send(
                HttpRequest.newBuilder(service("query-service", "/api/v1/organizations/" + organization + "/databases"))
                        .header("Authorization", "Bearer " + token("bob", organization, "org_member"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void refusedCallsOfBothServicesReachTheSecurityLog() throws Exception {
        String organization = createOrganization(token("root", null, "platform_admin"));
        // The management API: another organization's admin creating a database here (403).
        assertThat(createDatabase(token("mallory", "org_01JH0000000000000000000000", "org_admin"), organization)
                        .statusCode())
                .isEqualTo(403);
        // The read API: no token at all (401).
        assertThat(get(service("query-service", "/api/v1/organizations/" + organization + "/databases"))
                        .statusCode())
                .isEqualTo(401);

        String platformAdmin = token("root", null, "platform_admin");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> log = send(
                    HttpRequest.newBuilder(
                                    service("query-service", "/api/v1/security-log?organization_id=" + organization))
                            .header("Authorization", "Bearer " + platformAdmin)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
            assertThat(log.body())
                    .contains("\"service\":\"command-service\"")
                    .contains("\"reason\":\"organization_mismatch\"")
                    .contains("\"subject\":\"mallory\"")
                    .contains("\"route\":\"/api/v1/organizations/{organizationId}/databases\"")
                    .contains("\"service\":\"query-service\"")
                    .contains("\"reason\":\"missing_token\"");
        });
    }

    /**
     * Prometheus and the JDK's HttpClient keep a connection open between requests. Before Reactor
     * Netty 1.3.8 the edge's management port sometimes stopped reading such a connection when the
     * next request came before the previous answer's operations had terminated
     * (reactor/reactor-netty#4361): 1 in 20 to 1 in 100 runs of five health requests waited forever,
     * and this class hung a CI run. 500 requests on one connection each get their answer.
     */
    @Test
    void everyManagementPortAnswersEveryRequestOnAKeptAliveConnection() throws Exception {
        for (Map.Entry<String, Integer> management : MANAGEMENT_PORTS.entrySet()) {
            URI health = URI.create("http://" + HOST + ":" + management.getValue() + "/actuator/health/liveness");
            try (HttpClient keptAlive = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build()) {
                for (int i = 0; i < 500; i++) {
                    HttpResponse<String> response = keptAlive.send(
                            HttpRequest.newBuilder(health)
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode())
                            .as(management.getKey() + " request " + i)
                            .isEqualTo(200);
                }
            }
        }
    }

    @Test
    void managementPortsServeOnlyHealthAndPrometheusWithoutAToken() throws Exception {
        for (Map.Entry<String, Integer> management : MANAGEMENT_PORTS.entrySet()) {
            String base = "http://" + HOST + ":" + management.getValue();
            assertThat(get(URI.create(base + "/actuator/health")).statusCode())
                    .as(management.getKey())
                    .isEqualTo(200);
            assertThat(get(URI.create(base + "/actuator/prometheus")).statusCode())
                    .as(management.getKey())
                    .isEqualTo(200);
            for (String refused : List.of("/actuator/env", "/actuator/heapdump", "/actuator/loggers")) {
                // 401 where a platform_admin JWT is checked, 404 where the endpoint is not exposed.
                HttpResponse<String> response = get(URI.create(base + refused));
                assertThat(response.statusCode())
                        .as(management.getKey() + refused)
                        .isNotEqualTo(200)
                        .isBetween(300, 499);
                assertThat(response.body()).doesNotContain("propertySources", "configuredLevel");
            }
        }
    }

    @Test
    void everyListenerIsOnLoopbackOnly() throws Exception {
        InetAddress external = nonLoopbackAddress();
        assumeTrue(external != null, "this machine has no non-loopback address to try");
        List<Integer> ports = new ArrayList<>(List.of(postgresPort, kafkaPort, idpPort, upstreamPort));
        ports.addAll(SERVICE_PORTS.values());
        ports.addAll(MANAGEMENT_PORTS.values());
        for (int port : ports) {
            assertThat(accepts(InetAddress.getLoopbackAddress(), port))
                    .as("loopback port %d", port)
                    .isTrue();
            assertThat(accepts(external, port)).as("%s port %d", external, port).isFalse();
        }
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String token(String subject, String organization, String role) throws Exception {
        String body = organization == null
                ? "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, role)
                : "{\"subject\":\"%s\",\"organization_id\":\"%s\",\"roles\":[\"%s\"]}"
                        .formatted(subject, organization, role);
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(idp("/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    /** A secret key of a new organization, once the edge accepts it. */
    private static String issueSecretKey() throws Exception {
        String organization = createOrganization(token("root", null, "platform_admin"));
        HttpResponse<String> created = send(
                HttpRequest.newBuilder(
                                service("command-service", "/api/v1/organizations/" + organization + "/api-keys"))
                        .header("Authorization", "Bearer " + token("owner", organization, "org_admin"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"upload\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = (String) JSONObjectUtils.parse(created.body()).get("key");
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> send(
                                        HttpRequest.newBuilder(service("auth-edge", "/_keyledger/auth"))
                                                .header("X-API-Key", key)
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        return key;
    }

    private static String createOrganization(String platformAdmin) throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(service("command-service", "/api/v1/organizations"))
                        .header("Authorization", "Bearer " + platformAdmin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"Acme " + UUID.randomUUID() + "\",\"plan\":\"free\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) JSONObjectUtils.parse(response.body()).get("id");
    }

    private static HttpResponse<String> createDatabase(String organizationAdmin, String organization) throws Exception {
        return send(
                HttpRequest.newBuilder(
                                service("command-service", "/api/v1/organizations/" + organization + "/databases"))
                        .header("Authorization", "Bearer " + organizationAdmin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"main\",\"allowed_origins\":[\"https://app.example.com\"]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void produce(String value) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TEST_TOPIC, 0, value, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every value on the test topic, read from the beginning up to its end. */
    private static List<String> consumeAll() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TEST_TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return consumer.position(partition) >= end;
            });
        }
        return values;
    }

    private static Connection postgres(String database) throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + HOST + ":" + postgresPort + "/" + database, "postgres", "postgres");
    }

    private static HttpClient newHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Sends {@code request} with {@link #ANSWER_TIMEOUT} as its timeout. */
    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
        return http.send(
                HttpRequest.newBuilder(request, (name, value) -> true)
                        .timeout(ANSWER_TIMEOUT)
                        .build(),
                handler);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI idp(String path) {
        return URI.create("http://" + HOST + ":" + idpPort + path);
    }

    private static URI service(String name, String path) {
        return URI.create("http://" + HOST + ":" + SERVICE_PORTS.get(name) + path);
    }

    private static String bootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }
}
