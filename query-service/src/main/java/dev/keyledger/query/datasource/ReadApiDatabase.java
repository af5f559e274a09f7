package dev.keyledger.query.datasource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The connections of the read API: a HikariCP pool of its own ({@code pool=read-api} in the
 * {@code hikaricp_*} metrics), read-only, with a statement timeout and an idle-in-transaction
 * timeout set on every connection. Deliberately not a {@code DataSource} bean, so Spring Boot's
 * primary pool, its {@code JdbcTemplate} and its transaction manager stay exactly as they were for
 * projections, usage metering and Flyway. Thread safe.
 */
public final class ReadApiDatabase implements AutoCloseable {

    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final Semaphore streams;
    private final Counter refusedStreams;

    ReadApiDatabase(JdbcConnectionDetails connection, ReadApiDatabaseProperties properties, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("read-api");
        config.setJdbcUrl(connection.getJdbcUrl());
        config.setUsername(connection.getUsername());
        config.setPassword(connection.getPassword());
        config.setDriverClassName(connection.getDriverClassName());
        config.setMaximumPoolSize(properties.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(properties.connectionTimeout().toMillis());
        config.setReadOnly(true);
        // Set once per physical connection; a pooled connection keeps them.
        config.setConnectionInitSql(
                "SET statement_timeout = " + properties.statementTimeout().toMillis()
                        + "; SET idle_in_transaction_session_timeout = "
                        + properties.idleInTransactionTimeout().toMillis());
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        this.pool = new HikariDataSource(config);
        this.jdbc = new JdbcTemplate(pool);
        this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(pool));
        this.readOnly.setReadOnly(true);
        this.streams = new Semaphore(properties.maxConcurrentStreams());
        this.refusedStreams = Counter.builder("keyledger_query_read_streams_refused")
                .description("Streamed read requests answered 503 because max-concurrent-streams were open")
                .register(registry);
        Gauge.builder(
                        "keyledger_query_read_streams_open",
                        streams,
                        s -> properties.maxConcurrentStreams() - s.availablePermits())
                .description("Streamed read requests (NDJSON audit log) holding a read-API connection")
                .register(registry);
    }

    /** For short reads: each call borrows a connection for one statement. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** A template that fetches {@code fetchSize} rows at a time (a server-side cursor inside a transaction). */
    public JdbcTemplate streaming(int fetchSize) {
        JdbcTemplate streaming = new JdbcTemplate(pool);
        streaming.setFetchSize(fetchSize);
        return streaming;
    }

    /** Read-only transactions on this pool, for cursors. */
    public TransactionTemplate readOnlyTransaction() {
        return readOnly;
    }

    /**
     * A permit for one streamed result, or empty when {@code max-concurrent-streams} are open (the
     * caller answers 503). Close the permit when the stream ends, however it ends.
     */
    public Optional<StreamPermit> tryOpenStream() {
        if (!streams.tryAcquire()) {
            refusedStreams.increment();
            return Optional.empty();
        }
        return Optional.of(new StreamPermit(streams));
    }

    @Override
    public void close() {
        pool.close();
    }

    /** One open stream; closing it twice releases once. */
    public static final class StreamPermit implements AutoCloseable {

        private final Semaphore streams;
        private boolean released;

        private StreamPermit(Semaphore streams) {
            this.streams = streams;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                streams.release();
            }
        }
    }
}
