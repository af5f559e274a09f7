package dev.keyledger.query.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import dev.keyledger.testsupport.TestPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two query-service instances, each a JVM of its own, against one PostgreSQL database and one
 * Kafka broker (decision 0007). A rebuild requested on the standby is refused (409) on both while
 * it runs and is carried out by the owner. Then, under a stream of key events and usage records,
 * the instance holding both roles is killed with SIGKILL; the other takes them over, and at the end
 * every usage record is counted exactly once, every event is projected and audited once, and every
 * revoked key ends with its tombstone on {@code keyledger.active-keys}. Prints the take-over times.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadSideTakeoverIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideTakeoverIntegrationTest.class);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static String topic;
    private static String jdbcUrl;
    private static JdbcTemplate jdbc;
    private static KeyEvents events;
    private static Instance first;
    private static Instance second;

    /** A query-service in a child JVM. */
    record Instance(String name, Process process, int port, int managementPort, Path log) {

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        topic = "keyledger.key-events.takeover-" + UUID.randomUUID();
        createTopic(topic, 3, KeyledgerTopics.KEY_EVENTS.configs());
        createTopic(Topics.KEY_USAGE, 3, KeyledgerTopics.KEY_USAGE.configs());
        jdbcUrl = TestInfrastructure.newDatabase("takeover");
        TestInfrastructure.Postgres server = TestInfrastructure.postgres();
        jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, server.username(), server.password()));
        events = new KeyEvents(TestInfrastructure.kafkaBootstrapServers(), topic);
        first = launch("qs-a");
        // The first holds both roles before the second starts (the roles are taken before the
        // service is ready); then both start up at once.
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> "qs-a".equals(holder(ReadSideOwnership.PROJECTION))
                        && "qs-a".equals(holder(ReadSideOwnership.USAGE)));
        second = launch("qs-b");
        awaitReady(first);
        awaitReady(second);
    }

    @AfterAll
    static void stop() {
        for (Instance instance : new Instance[] {first, second}) {
            if (instance != null && instance.process().isAlive()) {
                instance.process().destroyForcibly();
            }
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    @Order(1)
    void aRebuildRequestedOnTheStandbyIsRefusedOnBothWhileItRunsAndTheOwnerCarriesItOut() throws Exception {
        String org = events.createOrganization(Plan.PRO);
        events.issue(org, null, ApiKeyType.SECRET, "before rebuild", null, null);
        awaitProjected();
        String admin = TestTokens.platformAdmin();

        try (Connection hold = DriverManager.getConnection(
                jdbcUrl,
                TestInfrastructure.postgres().username(),
                TestInfrastructure.postgres().password())) {
            // A reader of audit_log holds the swap's TRUNCATE, so the rebuild stays running
            // however fast the machine is, until this transaction ends.
            hold.setAutoCommit(false);
            try (Statement statement = hold.createStatement()) {
                statement.execute("SELECT count(*) FROM audit_log");
            }
            HttpResponse<String> requested = send(second, "POST", "/api/v1/admin/rebuild", admin);
            HttpResponse<String> onOwner = send(first, "POST", "/api/v1/admin/rebuild", admin);
            HttpResponse<String> again = send(second, "POST", "/api/v1/admin/rebuild", admin);

            assertThat(requested.statusCode()).isEqualTo(202);
            assertThat(onOwner.statusCode()).isEqualTo(409);
            assertThat(KeyledgerJson.mapper()
                            .readTree(onOwner.body())
                            .path("code")
                            .asText())
                    .isEqualTo("CONFLICT");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(json(send(first, "GET", "/api/v1/admin/rebuild", admin))
                            .path("state")
                            .asText())
                    .isEqualTo("running");
            assertThat(json(send(second, "GET", "/api/v1/admin/rebuild", admin))
                            .path("state")
                            .asText())
                    .isEqualTo("running");
            hold.rollback();
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode a = json(send(first, "GET", "/api/v1/admin/rebuild", admin));
                    JsonNode b = json(send(second, "GET", "/api/v1/admin/rebuild", admin));
                    return "idle".equals(a.path("state").asText())
                            && a.equals(b)
                            && a.path("percent").asDouble() == 100;
                });
        assertThat(Files.readString(first.log())).contains("Rebuild finished");
        assertThat(Files.readString(second.log())).doesNotContain("Rebuild finished");
    }

    @Test
    @Order(2)
    void whenTheOwnerIsKilledMidStreamTheStandbyTakesOverAndEveryCountIsExact() throws Exception {
        String org = events.createOrganization(Plan.PRO);
        String database = events.createDatabase(org, List.of("https://app.example.com"));
        int expectedEvents = 2;
        List<KeyEvents.IssuedKey> live = new ArrayList<>();
        Map<String, KeyEvents.IssuedKey> all = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            KeyEvents.IssuedKey key = events.issue(
                    org, database, i % 2 == 0 ? ApiKeyType.SECRET : ApiKeyType.PUBLIC, "k" + i, null, null);
            live.add(key);
            all.put(key.id(), key);
            expectedEvents++;
        }
        Map<String, Long> usageSent = new HashMap<>();
        Map<String, Instant> revokedAt = new HashMap<>();
        Random random = new Random(42);
        Instant base = Instant.now().minus(Duration.ofMinutes(30));
        Map<String, Instant> takenOver = new ConcurrentHashMap<>();
        Instant killedAt = null;
        int rounds = 100;
        int killRound = rounds / 3;
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers());
                Admin admin = admin()) {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 300; i++) {
                    KeyEvents.IssuedKey key = live.get(random.nextInt(live.size()));
                    usage.send(UsageEvents.event(
                            org, key.id(), base.plusMillis(round * 1000L + i), UsageOutcome.ACCEPTED));
                    usageSent.merge(key.id(), 1L, Long::sum);
                }
                for (int i = 0; i < 2; i++) {
                    KeyEvents.IssuedKey key = events.issue(org, database, ApiKeyType.SECRET, "r" + round, null, null);
                    live.add(key);
                    all.put(key.id(), key);
                    KeyEvents.IssuedKey victim = live.remove(random.nextInt(live.size() - 1));
                    events.revoke(org, victim.id());
                    revokedAt.put(victim.id(), Instant.now());
                    expectedEvents += 2;
                }
                usage.flush(); // every record of the round acknowledged by the broker
                if (round == killRound) {
                    // The round just sent is in flight, and the next is sent while no one holds
                    // the roles: the owner dies mid-stream and the standby takes over a backlog.
                    killedAt = Instant.now();
                    first.process().destroyForcibly();
                    Instant killed = killedAt;
                    Thread.ofVirtual().start(() -> watchTakeOver(killed, takenOver));
                } else {
                    // Paced by the read side itself: the next round starts once this one is
                    // projected and counted (after the kill, once the standby has caught up).
                    awaitReadSideAtEnd(admin);
                }
            }
        }
        assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);

        awaitProjected();
        awaitUsageCounted();
        await().atMost(Duration.ofSeconds(30)).until(() -> takenOver.size() == 2);

        // Usage: exactly what was sent, per key.
        Map<String, Long> counted = new HashMap<>();
        jdbc.query(
                "SELECT key_id, usage_count FROM key_usage WHERE organization_id = ?",
                rs -> {
                    counted.put(rs.getString(1), rs.getLong(2));
                },
                org);
        assertThat(counted).isEqualTo(usageSent);

        // Every event once in the projections and the audit log.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE organization_id = ?", Long.class, org))
                .isEqualTo(expectedEvents);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM api_keys WHERE organization_id = ? AND status = 'revoked'",
                        Long.class,
                        org))
                .isEqualTo(revokedAt.size());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM api_keys WHERE organization_id = ? AND status = 'active'",
                        Long.class,
                        org))
                .isEqualTo(live.size());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection_parked_events", Long.class))
                .isZero();

        // The changelog (early tombstones, decision 0018, left out: they come before the poll's own
        // publish, at most once per attempt): each revoked key ends with one tombstone after its last entry; each live
        // key with its entry. A second record of either kind could only come from the one poll the
        // killed owner had published but not committed, which its successor applied again.
        Map<String, List<Boolean>> changelog = changelogOf(all.values());
        Instant killed = killedAt;
        int duplicates = 0;
        for (KeyEvents.IssuedKey key : all.values()) {
            List<Boolean> records = changelog.getOrDefault(key.hash(), List.of());
            boolean revoked = revokedAt.containsKey(key.id());
            assertThat(records).as("changelog of %s", key.id()).isNotEmpty();
            assertThat(records.getLast())
                    .as("last record of %s is an entry", key.id())
                    .isEqualTo(!revoked);
            int tail = 0;
            for (int i = records.size() - 1; i >= 0 && records.get(i) == !revoked; i--) {
                tail++;
            }
            int entries = (int) records.stream().filter(entry -> entry).count();
            int extra = (tail - 1) + (revoked ? entries - 1 : 0);
            if (extra > 0) {
                duplicates += extra;
                Instant at = revoked ? revokedAt.get(key.id()) : null;
                assertThat(at == null || Duration.between(at, killed).abs().compareTo(Duration.ofSeconds(15)) < 0)
                        .as("duplicate for %s only around the kill: %s", key.id(), records)
                        .isTrue();
            }
            if (revoked) {
                assertThat(records.indexOf(Boolean.FALSE))
                        .as("no entry after the tombstone of %s", key.id())
                        .isGreaterThanOrEqualTo(records.lastIndexOf(Boolean.TRUE));
            }
        }

        Map<String, String> heartbeatGap = heartbeatGapAt(killed);
        long projection = Duration.between(killed, takenOver.get(ReadSideOwnership.PROJECTION))
                .toMillis();
        long usage =
                Duration.between(killed, takenOver.get(ReadSideOwnership.USAGE)).toMillis();
        String line = String.format(
                "Read side take-over: SIGKILL of the owner to the standby holding the projection role %d ms,"
                        + " the usage role %d ms; longest heartbeat gap per partition %s ms; %d usage records"
                        + " counted exactly once, %d events projected once, %d revoked keys tombstoned,"
                        + " %d duplicate changelog records",
                projection,
                usage,
                heartbeatGap,
                usageSent.values().stream().mapToLong(Long::longValue).sum(),
                expectedEvents,
                revokedAt.size(),
                duplicates);
        LOG.info(line);
        System.out.println(line);
        assertThat(projection).isLessThan(15_000);
        assertThat(usage).isLessThan(15_000);
    }

    /** Records when the second instance holds each role, as seen from outside. */
    private static void watchTakeOver(Instant killedAt, Map<String, Instant> takenOver) {
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .pollInSameThread()
                    .until(() -> {
                        for (String role : List.of(ReadSideOwnership.PROJECTION, ReadSideOwnership.USAGE)) {
                            if (!takenOver.containsKey(role) && "qs-b".equals(holder(role))) {
                                takenOver.put(role, Instant.now());
                            }
                        }
                        return takenOver.size() == 2;
                    });
        } catch (ConditionTimeoutException e) {
            // The test's own wait for both roles fails with the message; this watcher only records times.
        }
    }

    /**
     * Per partition of the projected topic, the longest time between two heartbeats (of either
     * instance) that spans the kill: how long an edge saw that partition age.
     */
    private static Map<String, String> heartbeatGapAt(Instant killedAt) {
        Map<Integer, List<Instant>> beats = new HashMap<>();
        Map<Integer, Instant> lastOfA = new HashMap<>();
        Map<Integer, Instant> firstOfB = new HashMap<>();
        readChangelog(record -> {
            if (record.key().startsWith(Topics.HEARTBEAT_KEY_PREFIX) && record.value() != null) {
                ChangelogHeartbeat heartbeat = KeyledgerJson.read(record.value(), ChangelogHeartbeat.class);
                if ("qs-a".equals(heartbeat.instance())) {
                    lastOfA.merge(heartbeat.partition(), heartbeat.readAt(), (x, y) -> x.isAfter(y) ? x : y);
                }
                if ("qs-b".equals(heartbeat.instance())) {
                    firstOfB.merge(heartbeat.partition(), heartbeat.readAt(), (x, y) -> x.isBefore(y) ? x : y);
                }
                if (Set.of("qs-a", "qs-b").contains(heartbeat.instance())) {
                    beats.computeIfAbsent(heartbeat.partition(), p -> new ArrayList<>())
                            .add(heartbeat.readAt());
                }
            }
        });
        Map<String, String> gaps = new java.util.TreeMap<>();
        beats.forEach((partition, times) -> {
            times.sort(null);
            long longest = 0;
            for (int i = 1; i < times.size(); i++) {
                if (!times.get(i - 1).isAfter(killedAt) && times.get(i).isAfter(killedAt)) {
                    longest = Math.max(
                            longest,
                            Duration.between(times.get(i - 1), times.get(i)).toMillis());
                }
            }
            Instant a = lastOfA.get(partition);
            Instant b = firstOfB.get(partition);
            gaps.put(
                    Integer.toString(partition),
                    longest + " (last of A "
                            + (a == null ? "-" : Duration.between(a, killedAt).toMillis())
                            + " ms before the kill, first of B "
                            + (b == null ? "-" : Duration.between(killedAt, b).toMillis()) + " ms after)");
        });
        return gaps;
    }

    /** The records of each key's hash on the changelog, in order: true an entry, false a tombstone. */
    private static Map<String, List<Boolean>> changelogOf(java.util.Collection<KeyEvents.IssuedKey> keys) {
        Set<String> hashes = keys.stream().map(KeyEvents.IssuedKey::hash).collect(Collectors.toSet());
        Map<String, List<Boolean>> records = new HashMap<>();
        readChangelog(record -> {
            if (hashes.contains(record.key()) && record.headers().lastHeader(ActiveKeyChangelog.EARLY_HEADER) == null) {
                records.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value() != null);
            }
        });
        return records;
    }

    private static void readChangelog(java.util.function.Consumer<ConsumerRecord<String, byte[]>> action) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        5000),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.ACTIVE_KEYS, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    action.accept(record);
                }
            }
        }
    }

    private static String holder(String role) {
        List<String> holders = jdbc.queryForList(
                "SELECT holder FROM read_side_leases WHERE role = ? AND expires_at > now()", String.class, role);
        return holders.isEmpty() ? null : holders.getFirst();
    }

    private static void awaitProjected() {
        awaitPositions("projection_offsets", topic);
    }

    private static void awaitUsageCounted() {
        awaitPositions("usage_offsets", Topics.KEY_USAGE);
    }

    /** Waits until both topics are projected and counted up to their current ends. */
    private static void awaitReadSideAtEnd(Admin admin) {
        awaitPositions("projection_offsets", topic, endOffsets(admin, topic));
        awaitPositions("usage_offsets", Topics.KEY_USAGE, endOffsets(admin, Topics.KEY_USAGE));
    }

    private static void awaitPositions(String table, String ofTopic) {
        awaitPositions(table, ofTopic, endOffsets(ofTopic));
    }

    private static void awaitPositions(String table, String ofTopic, Map<Integer, Long> end) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Map<Integer, Long> stored = new HashMap<>();
                    jdbc.query(
                            "SELECT partition, next_offset FROM " + table + " WHERE topic = ?",
                            rs -> {
                                stored.put(rs.getInt(1), rs.getLong(2));
                            },
                            ofTopic);
                    return end.entrySet().stream()
                            .allMatch(e -> e.getValue() == 0 || stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
                });
    }

    private static Instance launch(String name) throws IOException {
        int port = freePort();
        int managementPort = freePort();
        TestInfrastructure.Postgres server = TestInfrastructure.postgres();
        String classpath = Arrays.stream(
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                                .split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = Path.of("target", "read-side-" + name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> command = List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                "dev.keyledger.query.QueryServiceApplication",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + server.username(),
                "--spring.datasource.password=" + server.password(),
                "--spring.kafka.bootstrap-servers=" + TestInfrastructure.kafkaBootstrapServers(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + TestTokens.jwksUri(),
                "--keyledger.security.issuer=" + TestTokens.ISSUER,
                "--spring.security.oauth2.resourceserver.jwt.audiences=" + TestTokens.AUDIENCE,
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--keyledger.projection.topic=" + topic,
                "--keyledger.projection.instance-id=" + name,
                "--keyledger.ownership.instance-id=" + name,
                "--keyledger.projection.progress-interval=1s");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Instance(name, process, port, managementPort, log);
    }

    private static void awaitReady(Instance instance) {
        // Generous: on the shared 2-core machine a JVM can take minutes to start under load.
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(instance.process().isAlive())
                            .as("%s is running (see %s)", instance.name(), instance.log())
                            .isTrue();
                    try {
                        HttpResponse<String> response = HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.managementPort()
                                                + "/actuator/health/readiness"))
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private static HttpResponse<String> send(Instance instance, String method, String path, String token)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(instance.uri(path))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json")
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        return KeyledgerJson.mapper().readTree(response.body());
    }

    private static int freePort() throws IOException {
        return TestPorts.free();
    }

    private static void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static Admin admin() {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()));
    }

    private static Map<Integer, Long> endOffsets(String ofTopic) {
        try (Admin admin = admin()) {
            return endOffsets(admin, ofTopic);
        }
    }

    private static Map<Integer, Long> endOffsets(Admin admin, String ofTopic) {
        try {
            int partitions = admin.describeTopics(List.of(ofTopic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(ofTopic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(ofTopic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
