package dev.keyledger.command.topics;

import dev.keyledger.contracts.kafka.KeyledgerTopics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The topics the read side and the edge use, declared by the command-service as the one owner of
 * every Keyledger topic ({@code keyledger.key-events} is declared beside the relay, from the same
 * settings). Boot's {@code KafkaAdmin} creates missing topics at start and, with
 * {@code spring.kafka.admin.modify-topic-configs=true} (command-service.yml), aligns the configs of
 * existing ones and raises their partition count to the declared one; a replication factor is never
 * changed on an existing topic (docs/deploy.md, "Topics").
 */
@Configuration(proxyBeanMethods = false)
public class TopicsConfiguration {

    @Bean
    NewTopic activeKeysTopic(TopicsProperties topics) {
        return declare(KeyledgerTopics.ACTIVE_KEYS, topics.activeKeysPartitions(), topics);
    }

    @Bean
    NewTopic keyUsageTopic(TopicsProperties topics) {
        return declare(KeyledgerTopics.KEY_USAGE, topics.keyUsagePartitions(), topics);
    }

    /** Refused calls of both APIs on their way to the security log (decision record 0014). */
    @Bean
    NewTopic securityLogTopic(TopicsProperties topics) {
        return declare(KeyledgerTopics.SECURITY_LOG, KeyledgerTopics.SECURITY_LOG.defaultPartitions(), topics);
    }

    /** Signed audit chain heads from the query-service: not compacted, kept forever (docs/audit.md). */
    @Bean
    NewTopic auditCheckpointsTopic(TopicsProperties topics) {
        return declare(
                KeyledgerTopics.AUDIT_CHECKPOINTS, KeyledgerTopics.AUDIT_CHECKPOINTS.defaultPartitions(), topics);
    }

    /** A topic from its declaration, with the deployment's replication settings. */
    public static NewTopic declare(
            KeyledgerTopics.Spec spec, int partitions, Short replicationFactor, Integer minInsyncReplicas) {
        TopicBuilder topic =
                TopicBuilder.name(spec.name()).partitions(partitions).configs(spec.configs(minInsyncReplicas));
        if (replicationFactor != null) {
            topic.replicas(replicationFactor);
        }
        return topic.build();
    }

    private static NewTopic declare(KeyledgerTopics.Spec spec, int partitions, TopicsProperties topics) {
        return declare(spec, partitions, topics.replicationFactor(), topics.minInsyncReplicas());
    }
}
