package dev.keyledger.edge.usage;

import dev.keyledger.contracts.kafka.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of usage recording.
 *
 * @param enabled whether usage events are produced at all
 * @param topic where usage events go
 * @param bufferCapacity events held in memory while Kafka is slow or down; beyond it they are dropped and counted
 * @param linger how long the producer waits to fill a batch
 * @param maxBlock how long the producer thread (never a request thread) waits for Kafka metadata
 */
@ConfigurationProperties("keyledger.usage")
public record UsageProperties(Boolean enabled, String topic, int bufferCapacity, Duration linger, Duration maxBlock) {

    public UsageProperties {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        topic = topic == null ? Topics.KEY_USAGE : topic;
        bufferCapacity = bufferCapacity <= 0 ? 65_536 : bufferCapacity;
        linger = linger == null ? Duration.ofMillis(20) : linger;
        maxBlock = maxBlock == null ? Duration.ofSeconds(5) : maxBlock;
    }
}
