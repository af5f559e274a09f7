package dev.keyledger.command.idempotency;

import dev.keyledger.servicekit.security.CallerClaims;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventBus;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Idempotency-Key filter, right after Spring Security's chain (the caller is known, and a
 * refused token never reaches the table), and the scheduled cleanup of rows past the 24 hours.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class IdempotencyConfiguration {

    @Bean
    IdempotencyStore idempotencyStore(JdbcClient jdbc) {
        return new IdempotencyStore(jdbc);
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyStore store,
            PlatformTransactionManager transactionManager,
            CallerClaims claims,
            JsonMapper json,
            IdempotencyProperties properties,
            EventBus eventBus,
            MeterRegistry meters,
            SecurityFilterProperties security) {
        IdempotencyFilter filter = new IdempotencyFilter(
                store, new TransactionTemplate(transactionManager), claims, json, properties, eventBus, meters);
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/api/*");
        // Right after the security chain (spring.security.filter.order).
        registration.setOrder(security.getOrder() + 1);
        return registration;
    }

    @Bean
    IdempotencyCleanup idempotencyCleanup(IdempotencyStore store, IdempotencyProperties properties) {
        return new IdempotencyCleanup(store, properties);
    }

    @Bean
    SchedulingConfigurer idempotencyCleanupSchedule(IdempotencyCleanup cleanup, IdempotencyProperties properties) {
        return registrar -> registrar.addFixedDelayTask(cleanup::run, properties.cleanupInterval());
    }
}
