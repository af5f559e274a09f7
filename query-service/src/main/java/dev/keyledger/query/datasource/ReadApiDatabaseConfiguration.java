package dev.keyledger.query.datasource;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the read API's pool next to Spring Boot's primary one (see {@link ReadApiDatabase}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadApiDatabaseProperties.class)
class ReadApiDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    ReadApiDatabase readApiDatabase(
            JdbcConnectionDetails connection, ReadApiDatabaseProperties properties, MeterRegistry registry) {
        return new ReadApiDatabase(connection, properties, registry);
    }
}
