package dev.keyledger.edge.keys;

import dev.keyledger.contracts.kafka.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the active-keys table.
 *
 * @param topic the compacted changelog to read
 * @param keyEventsTopic the topic whose partitions the changelog's heartbeats speak for; the edge
 *     expects a heartbeat for each of its partitions
 * @param stalenessBound how old the oldest partition heartbeat may be before key checks fail closed
 *     (503). Until round 2 this setting bounded the time since the last contact with a broker (default
 *     5 minutes); it now bounds the age of data, and the default is 30 seconds, 30 heartbeats of the
 *     query-service
 * @param pollTimeout how long one poll of the changelog waits for records
 * @param partitionCheckInterval how often the follower asks the broker for the partition count of
 *     {@code keyEventsTopic} (the heartbeats also announce it); replaces {@code probe-interval}, the
 *     contact probe that no longer decides anything
 * @param createTopic whether the edge creates the topic (compacted) when it does not exist yet
 * @param topicPartitions partitions of the topic when the edge creates it
 * @param revocationsFromKeyEvents whether the edge also reads revocations from
 *     {@code keyEventsTopic} and drops a revoked key before the changelog's tombstone arrives
 *     (default true, decision 0019); off, revocations arrive through the changelog only
 * @param revokedAheadRetention how long a key revoked ahead of the changelog holds back an older
 *     entry for it when its tombstone does not come (default 1 hour)
 */
@ConfigurationProperties("keyledger.keys")
public record KeysProperties(
        String topic,
        String keyEventsTopic,
        Duration stalenessBound,
        Duration pollTimeout,
        Duration partitionCheckInterval,
        boolean createTopic,
        int topicPartitions,
        Boolean revocationsFromKeyEvents,
        Duration revokedAheadRetention) {

    public KeysProperties {
        topic = topic == null ? Topics.ACTIVE_KEYS : topic;
        keyEventsTopic = keyEventsTopic == null ? Topics.KEY_EVENTS : keyEventsTopic;
        stalenessBound = stalenessBound == null ? Duration.ofSeconds(30) : stalenessBound;
        pollTimeout = pollTimeout == null ? Duration.ofMillis(100) : pollTimeout;
        partitionCheckInterval = partitionCheckInterval == null ? Duration.ofSeconds(10) : partitionCheckInterval;
        topicPartitions = topicPartitions <= 0 ? 3 : topicPartitions;
        revocationsFromKeyEvents = revocationsFromKeyEvents == null || revocationsFromKeyEvents;
        revokedAheadRetention = revokedAheadRetention == null ? Duration.ofHours(1) : revokedAheadRetention;
    }
}
