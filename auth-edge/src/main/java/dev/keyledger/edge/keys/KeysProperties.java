package dev.keyledger.edge.keys;

import dev.keyledger.contracts.kafka.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the active-keys table.
 *
 * @param topic the compacted changelog to read
 * @param stalenessBound how long the changelog may be unreachable before key checks fail closed (503)
 * @param pollTimeout how long one poll of the changelog waits for records
 * @param probeInterval how often the follower asks the broker for end offsets, which proves contact
 * @param createTopic whether the edge creates the topic (compacted) when it does not exist yet
 * @param topicPartitions partitions of the topic when the edge creates it
 */
@ConfigurationProperties("keyledger.keys")
public record KeysProperties(
        String topic,
        Duration stalenessBound,
        Duration pollTimeout,
        Duration probeInterval,
        boolean createTopic,
        int topicPartitions) {

    public KeysProperties {
        topic = topic == null ? Topics.ACTIVE_KEYS : topic;
        stalenessBound = stalenessBound == null ? Duration.ofMinutes(5) : stalenessBound;
        pollTimeout = pollTimeout == null ? Duration.ofMillis(100) : pollTimeout;
        probeInterval = probeInterval == null ? Duration.ofSeconds(1) : probeInterval;
        topicPartitions = topicPartitions <= 0 ? 3 : topicPartitions;
    }
}
