package dev.keyledger.query.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.keyledger.query.kafka.FencedException;
import dev.keyledger.query.kafka.Ownership;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A zombie, an instance that lost its role but still believes it holds it (its clock or its
 * renewal thread stalled, say), cannot write: real PostgreSQL with the service's migrations, a real
 * topic, two {@link PartitionedTopicConsumer}s on the same positions table. The zombie's ownership
 * claims its old epoch forever, so only the fence in each transaction stands between it and a
 * double count. And a take-over waits for a write transaction the old holder had already fenced.
 */
class ZombieFencingIntegrationTest {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void database() {
        String url = TestInfrastructure.newDatabase("zombie");
        TestInfrastructure.Postgres server = TestInfrastructure.postgres();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(server.username());
        dataSource.setPassword(server.password());
        dataSource.setMaximumPoolSize(8);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/query")
                .load()
                .migrate();
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.execute("CREATE TABLE zombie_counts (key text PRIMARY KEY, n bigint NOT NULL)");
        jdbc.execute("CREATE TABLE zombie_offsets (topic text, partition integer, next_offset bigint NOT NULL,"
                + " PRIMARY KEY (topic, partition))");
        producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
        dataSource.close();
    }

    @Test
    void aZombieThatStillBelievesItOwnsTheTopicIsFencedAndNothingIsCountedTwice() throws Exception {
        String topic = "keyledger.test.zombie-" + UUID.randomUUID();
        createTopic(topic);
        String role = "zombie-" + UUID.randomUUID();
        Lease a = new Lease(role, "a", "token-a", Duration.ofMinutes(1), jdbc, transactions);
        Lease b = new Lease(role, "b", "token-b", Duration.ofMinutes(1), jdbc, transactions);
        a.register();
        assertThat(a.acquireOrRenew()).isEqualTo(1);
        assertThat(b.acquireOrRenew()).as("held by a").isZero();

        // The zombie: a's view of its lease, frozen at epoch 1 whatever the database says.
        Ownership frozen = new Ownership() {
            @Override
            public long epoch() {
                return 1;
            }

            @Override
            public void fence(long epoch) {
                a.fence(epoch);
            }
        };
        SimpleMeterRegistry zombieMetrics = new SimpleMeterRegistry();
        SimpleMeterRegistry ownerMetrics = new SimpleMeterRegistry();
        PartitionedTopicConsumer<Map<String, Long>, Void> zombie = consumer(topic, "zombie", frozen, zombieMetrics);
        PartitionedTopicConsumer<Map<String, Long>, Void> owner = consumer(topic, "owner", b, ownerMetrics);
        Map<String, Long> sent = new HashMap<>();
        try {
            zombie.start();
            send(topic, 1_000, sent);
            await().atMost(Duration.ofSeconds(60)).until(() -> total() == 1_000);

            // a stops renewing (its lease runs out in the database) and b takes the role over.
            jdbc.update("UPDATE read_side_leases SET expires_at = now() WHERE role = ?", role);
            assertThat(b.acquireOrRenew()).isEqualTo(2);
            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> a.fence(1)))
                    .isInstanceOf(FencedException.class);
            owner.start();

            send(topic, 2_000, sent);
            await().atMost(Duration.ofSeconds(60)).until(() -> total() >= 3_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> fenced(zombieMetrics) >= 1);
            // Both keep running for a while: the zombie keeps trying, nothing more is counted.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> counts().equals(sent));
            assertThat(counts()).isEqualTo(sent);
            assertThat(fenced(ownerMetrics)).isZero();
            LoggerFactory.getLogger(ZombieFencingIntegrationTest.class)
                    .info(
                            "Zombie fencing: {} records counted once, {} zombie transactions rolled back",
                            total(),
                            fenced(zombieMetrics));
        } finally {
            zombie.stop();
            owner.stop();
        }
    }

    @Test
    void aTakeOverWaitsForAWriteTheOldHolderHadAlreadyFenced() throws Exception {
        String role = "inflight-" + UUID.randomUUID();
        Lease a = new Lease(role, "a", "token-a", Duration.ofSeconds(20), jdbc, transactions);
        Lease b = new Lease(role, "b", "token-b", Duration.ofSeconds(20), jdbc, transactions);
        a.register();
        assertThat(a.acquireOrRenew()).isEqualTo(1);
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            // a's write transaction passes its fence and writes, then pauses before committing.
            try (PreparedStatement fence =
                    writer.prepareStatement("SELECT epoch FROM read_side_fences WHERE role = ? FOR SHARE")) {
                fence.setString(1, role);
                try (ResultSet rs = fence.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
            try (PreparedStatement write =
                    writer.prepareStatement("INSERT INTO zombie_counts (key, n) VALUES (?, 1000)")) {
                write.setString(1, role);
                write.executeUpdate();
            }
            jdbc.update("UPDATE read_side_leases SET expires_at = now() WHERE role = ?", role);
            CompletableFuture<Long> takeOver = CompletableFuture.supplyAsync(b::acquireOrRenew);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !takeOver.isDone());
            assertThat(takeOver).as("the take-over waits for the open write").isNotDone();
            Instant committed = Instant.now();
            writer.commit();
            assertThat(takeOver.get(20, TimeUnit.SECONDS)).isEqualTo(2);
            // Whatever b reads from now on includes a's last write.
            assertThat(jdbc.queryForObject("SELECT n FROM zombie_counts WHERE key = ?", Long.class, role))
                    .isEqualTo(1000);
            assertThat(Instant.now()).isAfterOrEqualTo(committed);
        }
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> a.fence(1)))
                .isInstanceOf(FencedException.class);
        assertThat(a.acquireOrRenew()).as("a's renewal finds b's epoch").isZero();
    }

    private static PartitionedTopicConsumer<Map<String, Long>, Void> consumer(
            String topic, String name, Ownership ownership, MeterRegistry registry) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(TestInfrastructure.kafkaBootstrapServers()));
        return new PartitionedTopicConsumer<>(
                new PartitionedTopicConsumer.Settings(
                        name,
                        topic,
                        "zombie-test-" + name,
                        "zombie-test-" + name,
                        Map.of(),
                        "zombie_offsets",
                        Duration.ofMillis(200),
                        3,
                        "zombie",
                        "failures",
                        "lag",
                        "lag",
                        name + " consuming {} partitions of {}",
                        LoggerFactory.getLogger("zombie-test." + name)),
                new PartitionedTopicConsumer.Handler<>() {
                    @Override
                    public Map<String, Long> prepare(ConsumerRecords<String, byte[]> records) {
                        Map<String, Long> batch = new HashMap<>();
                        for (ConsumerRecord<String, byte[]> record : records) {
                            batch.merge(record.key(), 1L, Long::sum);
                        }
                        return batch;
                    }

                    @Override
                    public Void write(Map<String, Long> batch) {
                        batch.forEach((key, n) -> jdbc.update(
                                "INSERT INTO zombie_counts (key, n) VALUES (?, ?)"
                                        + " ON CONFLICT (key) DO UPDATE SET n = zombie_counts.n + excluded.n",
                                key,
                                n));
                        return null;
                    }

                    @Override
                    public Instant committed(Map<String, Long> batch, Void result) {
                        return null;
                    }
                },
                ownership,
                jdbc,
                transactions,
                kafka,
                registry);
    }

    private static double fenced(MeterRegistry registry) {
        return registry.get("zombie_fenced").counter().count();
    }

    private static long total() {
        Long total =
                jdbc.queryForObject("SELECT coalesce(sum(n), 0) FROM zombie_counts WHERE key LIKE 'k%'", Long.class);
        return total == null ? 0 : total;
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query(
                "SELECT key, n FROM zombie_counts WHERE key LIKE 'k%'",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    private static void send(String topic, int records, Map<String, Long> sent) throws Exception {
        for (int i = 0; i < records; i++) {
            String key = "k" + (i % 37);
            producer.send(new ProducerRecord<>(topic, key, new byte[] {1}));
            sent.merge(key, 1L, Long::sum);
        }
        producer.flush();
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
