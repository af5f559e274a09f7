package dev.keyledger.query.securitylog;

import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Consumes {@code keyledger.security-log} into the {@code security_log} table: Spring Kafka's
 * listener container in the consumer group {@code keyledger.security-log.consumer-group}, one batch
 * per poll, offsets committed after the batch is stored (at least once; the table skips ids it has).
 * A record that does not parse or is out of bounds is skipped and counted, never retried; a batch the
 * database refuses (an outage) is retried every second from the same offsets until it is stored,
 * with the consumer paused meanwhile, so nothing is lost within the topic's retention.
 */
@Component
class SecurityLogIngest implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityLogIngest.class);

    private final KafkaMessageListenerContainer<String, byte[]> container;
    private final boolean enabled;
    private final Counter stored;
    private final Counter malformed;

    SecurityLogIngest(
            SecurityLogStore store, SecurityLogProperties properties, KafkaProperties kafka, MeterRegistry registry) {
        this.enabled = properties.ingestEnabled();
        this.stored = Counter.builder("keyledger_security_log_stored")
                .description("Refusals stored in the security log (records delivered again are not stored twice)")
                .register(registry);
        this.malformed = Counter.builder("keyledger_security_log_malformed")
                .description("Records of keyledger.security-log skipped as unreadable or out of bounds")
                .register(registry);
        ContainerProperties container = new ContainerProperties(Topics.SECURITY_LOG);
        container.setGroupId(properties.consumerGroup());
        container.setClientId("keyledger-query-security-log");
        container.setMessageListener((BatchMessageListener<String, byte[]>) records -> {
            List<SecurityRefusal> refusals = parse(records);
            store.insert(refusals);
            stored.increment(refusals.size());
        });
        this.container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(
                        consumerConfig(kafka), new StringDeserializer(), new ByteArrayDeserializer()),
                container);
        this.container.setCommonErrorHandler(new DefaultErrorHandler(
                (record, exception) -> LOG.error("Security log record skipped", exception),
                new FixedBackOff(1000, FixedBackOff.UNLIMITED_ATTEMPTS)));
        this.container.setAutoStartup(enabled);
    }

    private static Map<String, Object> consumerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // A subscription to a topic the command-service has not created yet is retried soon, not
        // after the default five minutes of metadata age.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
        return config;
    }

    private List<SecurityRefusal> parse(List<ConsumerRecord<String, byte[]>> records) {
        List<SecurityRefusal> refusals = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.value() == null) {
                    throw new IllegalArgumentException("no value");
                }
                refusals.add(KeyledgerJson.read(record.value(), SecurityRefusal.class));
            } catch (RuntimeException e) {
                malformed.increment();
                LOG.warn(
                        "Skipped an unreadable security log record at {}-{}@{}",
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
        }
        return refusals;
    }

    @Override
    public void start() {
        if (enabled) {
            container.start();
        }
    }

    @Override
    public void stop() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }
}
