package dev.keyledger.command.web;

import dev.keyledger.contracts.kafka.Actor;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Copies the actor of a command onto every event it causes, so that the relay can put it into the
 * Kafka envelope and the audit log can show who did what from where. Axon's message origin
 * provider is kept: declaring any provider replaces the default one.
 */
@Configuration(proxyBeanMethods = false)
class ActorConfiguration {

    @Bean
    CorrelationDataProvider actorCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(Actor.META_SUBJECT, Actor.META_IP, Actor.META_USER_AGENT);
    }

    @Bean
    CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }
}
