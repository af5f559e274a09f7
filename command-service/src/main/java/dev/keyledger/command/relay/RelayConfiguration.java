package dev.keyledger.command.relay;

import dev.keyledger.command.topics.TopicsConfiguration;
import dev.keyledger.command.topics.TopicsProperties;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the relay: its own producer (not Boot's {@code KafkaTemplate}, so the delivery guarantees
 * below cannot be weakened by a shared {@code spring.kafka.producer.*} setting), the topic, and the
 * tracking processor with the JDBC token store declared in {@code eventstore}.
 */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    /**
     * Idempotent, acks from all in-sync replicas, at most five requests in flight: the broker
     * discards a retried duplicate and keeps the order of each partition across retries, which is
     * what per-aggregate order on the topic rests on. Connection settings come from
     * {@code spring.kafka.*}.
     */
    @Bean(destroyMethod = "close")
    RelayProducer relayProducer(KafkaProperties kafka, RelayProperties properties) {
        return RelayProducer.of(producerConfig(kafka, properties));
    }

    /**
     * Boot's {@code spring.kafka.*} (bootstrap servers, {@code security.protocol}, {@code ssl.*},
     * {@code spring.kafka.properties.*} such as SASL, {@code spring.kafka.producer.*}), then the
     * guarantees above, which no setting can weaken.
     */
    static Map<String, Object> producerConfig(KafkaProperties kafka, RelayProperties properties) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-relay");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) properties.linger().toMillis());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return config;
    }

    /**
     * Declared so the topic exists with enough partitions before the first event; Boot's KafkaAdmin
     * creates it. Its configs (kept forever: the read side rebuilds from it) are the one declaration
     * in {@link KeyledgerTopics#KEY_EVENTS}.
     */
    @Bean
    NewTopic keyEventsTopic(RelayProperties properties, TopicsProperties topics) {
        Short replicationFactor =
                topics.replicationFactor() != null ? topics.replicationFactor() : properties.replicationFactor();
        return TopicsConfiguration.declare(
                new KeyledgerTopics.Spec(
                        properties.topic(), properties.partitions(), KeyledgerTopics.KEY_EVENTS.configs()),
                properties.partitions(),
                replicationFactor,
                topics.minInsyncReplicas());
    }

    /**
     * A tracking processor rather than a subscribing one: it reads the store, not the publishing
     * thread, so an event committed while Kafka is down is relayed later instead of lost. Handler
     * errors propagate (Axon's default would log and skip the event), and events are split across
     * threads by aggregate id only.
     */
    @Bean
    ConfigurerModule kafkaRelayProcessor(RelayProperties properties) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(
                        KafkaRelay.PROCESSOR,
                        org.axonframework.config.Configuration::eventStore,
                        axon -> TrackingEventProcessorConfiguration.forParallelProcessing(properties.threads())
                                .andInitialSegmentsCount(properties.threads())
                                .andBatchSize(properties.batchSize()))
                .registerSequencingPolicy(KafkaRelay.PROCESSOR, axon -> SequentialPerAggregatePolicy.instance())
                .registerListenerInvocationErrorHandler(
                        KafkaRelay.PROCESSOR, axon -> PropagatingErrorHandler.instance())
                .registerErrorHandler(KafkaRelay.PROCESSOR, axon -> PropagatingErrorHandler.instance()));
    }
}
