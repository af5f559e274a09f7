package dev.keyledger.query.datasource;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The read API's connection pool. Same server and credentials as {@code spring.datasource}; the
 * primary pool ({@code spring.datasource.hikari.*}) stays for projections and usage metering.
 *
 * @param poolSize connections of the read-API pool
 * @param connectionTimeout how long a read request waits for a free connection before it is
 *     answered 503
 * @param statementTimeout PostgreSQL {@code statement_timeout} of every read-API statement (each
 *     fetch of a streamed result counts separately)
 * @param idleInTransactionTimeout PostgreSQL {@code idle_in_transaction_session_timeout}: a
 *     streamed result whose client stops reading for this long loses its connection and its stream
 * @param maxConcurrentStreams streamed results (the NDJSON audit log) open at once; one more is
 *     answered 503 at once. Keep it below {@code pool-size} so short reads always find a connection
 */
@ConfigurationProperties("keyledger.read-api.database")
record ReadApiDatabaseProperties(
        @DefaultValue("6") int poolSize,
        @DefaultValue("2s") Duration connectionTimeout,
        @DefaultValue("10s") Duration statementTimeout,
        @DefaultValue("30s") Duration idleInTransactionTimeout,
        @DefaultValue("4") int maxConcurrentStreams) {

    ReadApiDatabaseProperties {
        if (poolSize < 1 || maxConcurrentStreams < 1) {
            throw new IllegalArgumentException(
                    "keyledger.read-api.database: pool-size and max-concurrent-streams must be >= 1");
        }
    }
}
