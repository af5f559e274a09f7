package dev.keyledger.command.topics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deployment's topic settings, under {@code keyledger.topics}; the rest of each topic's settings
 * is declared once in {@code KeyledgerTopics}.
 *
 * @param replicationFactor replicas of every topic when it is created; {@code null} takes
 *     {@code keyledger.relay.replication-factor} for {@code keyledger.key-events} and otherwise the
 *     broker's {@code default.replication.factor} (1 on the standalone, 3 on the local cluster)
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic, set on creation and aligned
 *     on existing topics; {@code null} leaves the broker's default (1 on the standalone, 2 on the
 *     local cluster)
 * @param activeKeysPartitions partitions of {@code keyledger.active-keys} when it is created
 * @param keyUsagePartitions partitions of {@code keyledger.key-usage} when it is created
 */
@ConfigurationProperties("keyledger.topics")
public record TopicsProperties(
        Short replicationFactor,
        Integer minInsyncReplicas,
        @DefaultValue("3") int activeKeysPartitions,
        @DefaultValue("6") int keyUsagePartitions) {

    public TopicsProperties {
        if (replicationFactor != null && replicationFactor < 1) {
            throw new IllegalArgumentException("keyledger.topics.replication-factor must be at least 1");
        }
        if (minInsyncReplicas != null
                && (minInsyncReplicas < 1 || (replicationFactor != null && minInsyncReplicas > replicationFactor))) {
            throw new IllegalArgumentException(
                    "keyledger.topics.min-insync-replicas must be between 1 and the replication factor");
        }
    }
}
