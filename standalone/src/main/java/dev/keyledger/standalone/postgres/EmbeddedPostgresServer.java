package dev.keyledger.standalone.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded PostgreSQL server; see the package documentation. */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(15);

    private final EmbeddedPostgres postgres;
    private final String host;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String host) {
        this.postgres = postgres;
        this.host = host;
    }

    /**
     * Starts PostgreSQL on {@code host:port} with its cluster in {@code dataDirectory} (created by
     * initdb on first start, reused afterwards) and makes sure {@code databases} exist.
     *
     * @param logFile where the server's own output goes
     * @param listenAddress where the server listens ({@code keyledger.bind-address})
     * @param host the address clients connect to
     */
    public static EmbeddedPostgresServer start(
            Path dataDirectory,
            Path logFile,
            String listenAddress,
            String host,
            int port,
            Collection<String> databases) {
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logFile.getParent());
            stopOrphanedPostmaster(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", listenAddress)
                    .setServerConfig("max_connections", "200")
                    // zonky turns fsync off for throwaway test clusters; this one must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, host);
            try {
                server.createMissingDatabases(databases);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port() + "/" + database;
    }

    /** Stops the server with PostgreSQL's fast shutdown, which ends open sessions first. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("PostgreSQL did not stop cleanly", e);
        }
    }

    private void createMissingDatabases(Collection<String> databases) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
                Statement create = connection.createStatement()) {
            for (String database : databases) {
                if (!database.matches("[a-z_][a-z0-9_]*")) {
                    throw new IllegalArgumentException("not a plain database name: " + database);
                }
                exists.setString(1, database);
                try (ResultSet result = exists.executeQuery()) {
                    if (!result.next()) {
                        create.execute("CREATE DATABASE " + database);
                        LOG.info("Created database {}", database);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the databases " + databases, e);
        }
    }

    /**
     * A standalone killed with SIGKILL leaves its postmaster running, which would block the port
     * and the data directory. zonky's lock file tells a dead owner from a live one: when nobody
     * holds it, any postmaster named in {@code postmaster.pid} is an orphan and is asked to stop.
     */
    private static void stopOrphanedPostmaster(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel lockChannel = FileChannel.open(
                        dataDirectory.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockChannel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another process uses the PostgreSQL data directory " + dataDirectory);
            }
            Optional<ProcessHandle> postmaster = postmasterProcess(pidFile);
            if (postmaster.isEmpty()) {
                return;
            }
            LOG.warn(
                    "Stopping PostgreSQL (pid {}) left running by a previous standalone",
                    postmaster.get().pid());
            postmaster.get().destroy();
            try {
                postmaster.get().onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the orphaned PostgreSQL to stop", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the orphaned PostgreSQL did not stop; stop it by hand", e);
            }
        }
    }

    private static Optional<ProcessHandle> postmasterProcess(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.getFirst().strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.getFirst().strip()))
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().orElse("").endsWith("postgres"));
    }
}
