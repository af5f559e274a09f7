package dev.keyledger.standalone.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.usage.UsageReport;
import dev.keyledger.contracts.usage.UsageReportCodec;
import dev.keyledger.standalone.StandaloneApplication;
import dev.keyledger.standalone.services.ServiceCatalog;
import dev.keyledger.standalone.services.ServiceDefinition;
import dev.keyledger.testsupport.TestPorts;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Zero-loss usage at the edge (issue 11, decision 0008): the standalone runs PostgreSQL, Kafka, the
 * command-service and the query-service (its own edge and portal off); the edge runs as a CHILD JVM
 * on a spool directory of its own. Real traffic with known keys (free plan: 10 a minute, so both
 * 200 and 429), the client counting every answer; the child is killed with SIGKILL right after the
 * last answer, while its spool still holds unsent records; it starts again on the same spool and
 * sends them. The query-service's counts then equal, per key, the 200s and the 429s the client
 * received. Then every report on {@code keyledger.key-usage} is sent a second time, byte for byte
 * (what an edge killed between the broker's acknowledgement and its own note of it sends after
 * a restart): the counts do not move.
 */
class EdgeUsageKillIntegrationTest {

    private static final String HOST = "127.0.0.1";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;

    private static ConfigurableApplicationContext standalone;
    private static int postgresPort;
    private static int kafkaPort;
    private static int idpPort;
    private static int commandPort;
    private static int queryPort;

    @BeforeAll
    static void start() throws IOException {
        postgresPort = freePort();
        kafkaPort = freePort();
        idpPort = freePort();
        commandPort = freePort();
        queryPort = freePort();
        standalone = StandaloneApplication.start(
                "--keyledger.standalone.data-dir=" + dataDir.resolve("standalone"),
                "--keyledger.standalone.postgres.port=" + postgresPort,
                "--keyledger.standalone.kafka.port=" + kafkaPort,
                "--keyledger.standalone.kafka.controller-port=" + freePort(),
                "--keyledger.standalone.idp.port=" + idpPort,
                "--keyledger.standalone.upstream.port=" + freePort(),
                "--keyledger.standalone.services.command-service.port=" + commandPort,
                "--keyledger.standalone.services.command-service.management-port=" + freePort(),
                "--keyledger.standalone.services.query-service.port=" + queryPort,
                "--keyledger.standalone.services.query-service.management-port=" + freePort(),
                "--keyledger.standalone.services.auth-edge.enabled=false",
                "--keyledger.standalone.services.portal.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void everyAnsweredRequestIsCountedOnceAcrossAKillAndARestartAndAReSend() throws Exception {
        String admin = token("root", null, "platform_admin");
        String organization = createOrganization(admin);
        String orgAdmin = token("alice", organization, "org_admin");
        List<String[]> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(issueKey(orgAdmin, organization, "k" + i));
        }

        Path spool = dataDir.resolve("edge-spool");
        int edgePort = freePort();
        int edgeManagement = freePort();
        Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
        Map<String, AtomicLong> limited = new ConcurrentHashMap<>();
        for (String[] key : keys) {
            accepted.put(key[0], new AtomicLong());
            limited.put(key[0], new AtomicLong());
        }

        // First run: a long flush interval, so the kill finds records in the spool not yet sent.
        Process edge = startEdge(spool, edgePort, edgeManagement, "5s");
        long answered;
        try {
            awaitAccepted(edgePort, keys, accepted, limited);
            answered = keys.size() + traffic(edgePort, keys, accepted, limited, 4, 1_500);
        } finally {
            // SIGKILL right after the last answer (Process.destroyForcibly is SIGKILL on Linux).
            edge.destroyForcibly();
            edge.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(answered).isGreaterThan(1_000);

        // Second run on the same spool: it sends what the killed one left, then more traffic.
        Process again = startEdge(spool, edgePort, edgeManagement, "200ms");
        try {
            awaitReady(edgeManagement);
            String metrics = get(URI.create("http://" + HOST + ":" + edgeManagement + "/actuator/prometheus"))
                    .body();
            double replayed = metric(metrics, "keyledger_edge_usage_spool_replayed_total");
            assertThat(replayed).as("records the killed edge had not sent").isPositive();
            answered += traffic(edgePort, keys, accepted, limited, 2, 200);

            Map<String, long[]> expected = new HashMap<>();
            for (String[] key : keys) {
                expected.put(key[0], new long[] {
                    accepted.get(key[0]).get(), limited.get(key[0]).get()
                });
            }
            long total = answered;
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(countedTotal(organization)).isEqualTo(total));
            assertThat(counted(organization)).containsExactlyInAnyOrderEntriesOf(expected);

            // Every report again, byte for byte, on its partition: skipped as already applied.
            int resent = resendEverything();
            assertThat(resent).isPositive();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(EdgeUsageKillIntegrationTest::usageCaughtUp);
            assertThat(appliedSequences()).isPositive();
            assertThat(counted(organization)).containsExactlyInAnyOrderEntriesOf(expected);
            System.out.printf(
                    "Edge usage kill test: %d requests answered (%d accepted, %d rate limited), %.0f left in the killed edge's spool, %d reports re-sent; counts exact%n",
                    total,
                    accepted.values().stream().mapToLong(AtomicLong::get).sum(),
                    limited.values().stream().mapToLong(AtomicLong::get).sum(),
                    replayed,
                    resent);
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- the child edge ----

    private static Process startEdge(Path spool, int port, int managementPort, String flushInterval)
            throws IOException {
        Path log = dataDir.resolve("edge-" + UUID.randomUUID() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keyledger.edge.AuthEdgeApplication",
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.kafka.bootstrap-servers=" + HOST + ":" + kafkaPort,
                "--keyledger.usage.spool.dir=" + spool,
                "--keyledger.usage.spool.segment-size=1MB",
                "--keyledger.usage.spool.max-size=64MB",
                "--keyledger.usage.flush-interval=" + flushInterval,
                "--keyledger.keys.create-topic=false",
                // The test classpath holds every service: keep the others' auto-configurations out,
                // as the standalone does for its own edge.
                "--spring.autoconfigure.exclude=" + foreignAutoConfigurations(),
                "--spring.main.banner-mode=off"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String foreignAutoConfigurations() {
        ServiceDefinition edge = ServiceCatalog.SERVICES.stream()
                .filter(service -> service.name().equals("auth-edge"))
                .findFirst()
                .orElseThrow();
        return ImportCandidates.load(AutoConfiguration.class, EdgeUsageKillIntegrationTest.class.getClassLoader())
                .getCandidates()
                .stream()
                .filter(candidate -> edge.foreignAutoConfigurations().stream().anyMatch(candidate::startsWith))
                .collect(Collectors.joining(","));
    }

    private static void awaitReady(int managementPort) {
        await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> get(URI.create("http://" + HOST + ":" + managementPort + "/actuator/health/readiness"))
                                .statusCode()
                        == 200);
    }

    /**
     * Waits until every key is answered 200 or 429 (the table holds it and the changelog is fresh);
     * those answers are counted too. 401 (key not there yet) and 503 (not caught up) carry no usage.
     */
    private static void awaitAccepted(
            int edgePort, List<String[]> keys, Map<String, AtomicLong> accepted, Map<String, AtomicLong> limited) {
        for (String[] key : keys) {
            await().atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> {
                        int status = status(edgePort, "/_keyledger/auth", key[1]);
                        if (status == 200) {
                            accepted.get(key[0]).incrementAndGet();
                        } else if (status == 429) {
                            limited.get(key[0]).incrementAndGet();
                        }
                        return status == 200 || status == 429;
                    });
        }
    }

    /** Requests from {@code threads} threads until {@code perThread} answers each; counts 200s and 429s per key. */
    private static long traffic(
            int edgePort,
            List<String[]> keys,
            Map<String, AtomicLong> accepted,
            Map<String, AtomicLong> limited,
            int threads,
            int perThread)
            throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < perThread && !failed.get(); i++) {
                    String[] key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                    try {
                        int status = status(edgePort, "/_keyledger/auth", key[1]);
                        if (status == 200) {
                            accepted.get(key[0]).incrementAndGet();
                        } else if (status == 429) {
                            limited.get(key[0]).incrementAndGet();
                        } else {
                            // 503 before the table is fresh: not an answer with usage; never expected here.
                            failed.set(true);
                            throw new AssertionError("unexpected status " + status);
                        }
                        answered.incrementAndGet();
                    } catch (IOException | InterruptedException e) {
                        failed.set(true);
                        throw new AssertionError(e);
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(failed).isFalse();
        return answered.get();
    }

    private static int status(int edgePort, String path, String apiKey) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + edgePort + path))
                                .header("X-API-Key", apiKey)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    // ---- what the query-service counted ----

    private static Map<String, long[]> counted(String organization) throws Exception {
        Map<String, long[]> counts = new HashMap<>();
        try (Connection connection = postgres();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT key_id, usage_count, rejected_count FROM key_usage WHERE organization_id = '"
                                + organization + "'")) {
            while (rows.next()) {
                counts.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        return counts;
    }

    private static long countedTotal(String organization) throws Exception {
        long total = 0;
        for (long[] counts : counted(organization).values()) {
            total += counts[0] + counts[1];
        }
        return total;
    }

    /** True once the usage projection's stored positions reach the end of every partition. */
    private static boolean usageCaughtUp() throws Exception {
        try (Connection connection = postgres();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM usage_offsets"
                        + " WHERE topic = '" + Topics.KEY_USAGE + "'")) {
            rows.next();
            return rows.getLong(1) >= endOffsetsSum();
        }
    }

    private static long appliedSequences() throws Exception {
        try (Connection connection = postgres();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM usage_edge_sequences")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Reads every record of the usage topic and produces each again to its partition; returns how many. */
    private static int resendEverything() throws Exception {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.KEY_USAGE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    all.add(record);
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + kafkaPort);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : all) {
                UsageReport report = UsageReportCodec.decode(record.value());
                assertThat(record.key()).isEqualTo(report.edgeInstance());
                producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value()));
            }
            producer.flush();
        }
        return all.size();
    }

    private static long endOffsetsSum() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.KEY_USAGE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + kafkaPort);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Connection postgres() throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + HOST + ":" + postgresPort + "/keyledger_query", "postgres", "postgres");
    }

    private static double metric(String prometheus, String name) {
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not exported");
    }

    // ---- the APIs ----

    private static String token(String subject, String organization, String role) throws Exception {
        String body = organization == null
                ? "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, role)
                : "{\"subject\":\"%s\",\"organization_id\":\"%s\",\"roles\":[\"%s\"]}"
                        .formatted(subject, organization, role);
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + idpPort + "/dev/token"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return (String) JSONObjectUtils.parse(response.body()).get("access_token");
    }

    private static String createOrganization(String platformAdmin) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + commandPort + "/api/v1/organizations"))
                        .header("Authorization", "Bearer " + platformAdmin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"Kill " + UUID.randomUUID() + "\",\"plan\":\"free\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return (String) JSONObjectUtils.parse(response.body()).get("id");
    }

    /** Issues a secret key; returns {id, plaintext}. */
    private static String[] issueKey(String orgAdmin, String organization, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + commandPort + "/api/v1/organizations/"
                                + organization + "/api-keys"))
                        .header("Authorization", "Bearer " + orgAdmin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Map<String, Object> key = JSONObjectUtils.parse(response.body());
        return new String[] {(String) key.get("id"), (String) key.get("key")};
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }
}
