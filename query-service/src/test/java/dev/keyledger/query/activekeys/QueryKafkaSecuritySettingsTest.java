package dev.keyledger.query.activekeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;

/**
 * TLS and SASL settings given as {@code spring.kafka.*} reach every Kafka client of the
 * query-service: the consumers of {@code keyledger.key-events} and {@code keyledger.key-usage}
 * (projection, rebuild, usage metering: all {@link PartitionedTopicConsumer}), the changelog's
 * producer and the admin client that creates {@code keyledger.active-keys}.
 */
class QueryKafkaSecuritySettingsTest {

    private static KafkaProperties saslSsl() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1:9093", "broker-2:9093"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/keyledger/kafka-truststore.p12"));
        kafka.getSsl().setTrustStorePassword("changeit");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties()
                .put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"query\" password=\"p\";");
        return kafka;
    }

    private static void assertSecured(Map<String, Object> config) {
        assertThat(config.get("bootstrap.servers").toString()).contains("broker-1:9093", "broker-2:9093");
        assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/keyledger/kafka-truststore.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config");
    }

    @Test
    void theConsumersCarryBootsSecuritySettingsAndTheirOwn() {
        KafkaProperties kafka = saslSsl();
        kafka.getConsumer().setEnableAutoCommit(true);
        Map<String, Object> config = PartitionedTopicConsumer.consumerConfig(
                kafka, Map.of("max.poll.records", 5000, "allow.auto.create.topics", false), "keyledger-query-test");
        assertSecured(config);
        assertThat(config)
                .containsEntry("max.poll.records", 5000)
                .containsEntry("allow.auto.create.topics", false)
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("client.id", "keyledger-query-test");
    }

    @Test
    void theChangelogProducerAndTheAdminClientCarryBootsSecuritySettings() {
        Map<String, Object> producer = ActiveKeyChangelog.producerConfig(saslSsl());
        assertSecured(producer);
        assertThat(producer).containsEntry("acks", "all").containsEntry("enable.idempotence", true);
        assertSecured(ActiveKeyChangelog.adminConfig(saslSsl()));
    }
}
