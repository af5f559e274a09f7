package dev.keyledger.edge.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;

/**
 * TLS and SASL settings given as {@code spring.kafka.*} reach the admin client the changelog
 * follower creates {@code keyledger.active-keys} with (its consumer takes Boot's consumer
 * properties whole, in {@code EdgeConfiguration}, as the usage producer takes Boot's producer
 * properties). Before, the admin client kept only bootstrap servers and the protocol.
 */
class EdgeKafkaSecuritySettingsTest {

    @Test
    void theAdminClientKeepsEverySecuritySettingOfTheConsumer() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1:9093"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/keyledger/kafka-truststore.p12"));
        kafka.getSsl().setTrustStorePassword("changeit");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties()
                .put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"edge\" password=\"p\";");

        Map<String, Object> consumer = kafka.buildConsumerProperties();
        Map<String, Object> admin = ActiveKeysFollower.adminConfig(consumer);

        assertThat(admin.get("bootstrap.servers").toString()).contains("broker-1:9093");
        assertThat(admin)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/keyledger/kafka-truststore.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                // consumer-only settings stay behind: an admin client would warn about them
                .doesNotContainKeys("key.deserializer", "value.deserializer");
    }
}
