package dev.keyledger.command.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.testsupport.TestInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topic owner against a real broker: a topic declared from {@code KeyledgerTopics} with the
 * deployment's replication settings is created as declared, and an existing topic with other
 * settings (fewer partitions, another cleanup policy) is aligned to the declaration, as Boot's
 * {@code KafkaAdmin} does at the command-service's start with {@code modify-topic-configs}.
 */
class TopicOwnerIntegrationTest {

    @Test
    void theOwnerCreatesMissingTopicsAndAlignsExistingOnes() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrapServers();
        String name = "topic-owner-" + UUID.randomUUID();
        KeyledgerTopics.Spec spec = new KeyledgerTopics.Spec(name, 3, KeyledgerTopics.ACTIVE_KEYS.configs());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // Someone created it first, with the broker's defaults and one partition.
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            KafkaAdmin owner = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
            owner.setModifyTopicConfigs(true);
            owner.createOrModifyTopics(TopicsConfiguration.declare(spec, 3, (short) 1, 1));

            assertThat(admin.describeTopics(List.of(name))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(name)
                            .partitions())
                    .hasSize(3);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("segment.ms").value()).isEqualTo("3600000");
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    @Test
    void replicationSettingsAreDeclaredPerDeploymentAndChecked() {
        NewTopic cluster = TopicsConfiguration.declare(KeyledgerTopics.KEY_USAGE, 6, (short) 3, 2);
        assertThat(cluster.replicationFactor()).isEqualTo((short) 3);
        assertThat(cluster.configs())
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("cleanup.policy", "delete");
        NewTopic standalone = TopicsConfiguration.declare(KeyledgerTopics.KEY_EVENTS, 6, null, null);
        assertThat(standalone.replicationFactor()).as("the broker's default").isEqualTo((short) -1);
        assertThat(standalone.configs())
                .doesNotContainKey("min.insync.replicas")
                .containsEntry("retention.ms", "-1");

        assertThatThrownBy(() -> new TopicsProperties((short) 3, 4, 3, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min-insync-replicas");
        assertThatThrownBy(() -> new TopicsProperties((short) 0, null, 3, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
