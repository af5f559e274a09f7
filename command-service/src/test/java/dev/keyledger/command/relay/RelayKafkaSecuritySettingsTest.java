package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;

/** TLS and SASL settings given as {@code spring.kafka.*} reach the relay's producer. */
class RelayKafkaSecuritySettingsTest {

    @Test
    void theRelayProducerCarriesBootsSecuritySettingsAndKeepsItsGuarantees() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1:9093", "broker-2:9093"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/keyledger/kafka-truststore.p12"));
        kafka.getSsl().setTrustStorePassword("changeit");
        kafka.getSsl().setTrustStoreType("PKCS12");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties()
                .put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"relay\" password=\"p\";");
        // A shared producer setting that would weaken delivery must not win.
        kafka.getProducer().setAcks("1");

        Map<String, Object> config = RelayConfiguration.producerConfig(
                kafka,
                new RelayProperties(
                        "keyledger.key-events",
                        6,
                        null,
                        250,
                        1,
                        Duration.ofSeconds(30),
                        Duration.ofMillis(5),
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(5),
                        Duration.ofMillis(25)));

        assertThat(config.get("bootstrap.servers").toString()).contains("broker-1:9093", "broker-2:9093");
        assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/keyledger/kafka-truststore.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
    }
}
