package dev.keyledger.command.eventstore;

import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The Axon event store on PostgreSQL through plain JDBC (decision record 0003). Axon's own JDBC
 * auto-configuration backs off on Spring Boot 4, so the beans are declared here. The tables belong
 * to Flyway ({@code db/command}); Axon never creates or alters them.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    @Bean
    @Primary
    TransactionManager axonTransactionManager(PlatformTransactionManager transactionManager) {
        return new SpringTransactionManager(transactionManager);
    }

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    @Bean
    PersistenceExceptionResolver axonPersistenceExceptionResolver(DataSource dataSource) {
        return new JdbcSQLErrorCodesResolver();
    }

    @Bean
    EventStorageEngine eventStorageEngine(
            Serializer defaultSerializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            ConnectionProvider connectionProvider,
            TransactionManager transactionManager,
            EventStoreProperties properties) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .dataType(byte[].class)
                .batchSize(properties.batchSize())
                .gapTimeout(properties.gapTimeoutMillis())
                .maxGapOffset(properties.maxGapOffset())
                .gapCleaningThreshold(properties.gapCleaningThreshold())
                // Never read past an index an open transaction may still commit (decision 0003).
                .readEventDataWithoutGaps(SafeHorizonReads::withoutGaps)
                .readEventDataWithGaps(SafeHorizonReads::withGaps)
                .build();
    }

    /**
     * The owner a token claim is recorded under is Axon's default (the JVM's {@code pid@host}),
     * unless {@code keyledger.event-store.token-owner} names one: two instances in one JVM (a test
     * of a relay running elsewhere) would otherwise share the claim.
     */
    @Bean
    TokenStore tokenStore(
            ConnectionProvider connectionProvider,
            Serializer defaultSerializer,
            @Value("${keyledger.event-store.token-owner:}") String tokenOwner) {
        JdbcTokenStore.Builder builder = JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(defaultSerializer)
                .contentType(byte[].class);
        if (!tokenOwner.isBlank()) {
            builder.nodeId(tokenOwner);
        }
        return builder.build();
    }
}
