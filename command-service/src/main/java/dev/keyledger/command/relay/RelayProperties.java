package dev.keyledger.command.relay;

import dev.keyledger.contracts.kafka.Topics;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the relay to Kafka.
 *
 * @param topic the topic every domain event is published to
 * @param partitions partitions of the topic when the relay declares it
 * @param replicationFactor replicas of the topic when the relay declares it; {@code null} takes the
 *     broker's {@code default.replication.factor}
 * @param batchSize events handled, sent and acknowledged per token commit
 * @param threads processor threads, and initial token segments; events are split across them by
 *     aggregate id, so per-aggregate order holds with any value
 * @param ackTimeout how long a batch waits for the broker's acknowledgements before it is rolled
 *     back and sent again with a new producer; keep it below Axon's 60-second limit on a
 *     processor's unit of work
 * @param linger how long the producer waits to fill a request
 * @param startupTimeout how long the start waits for the relay to run (producer connected, processor
 *     caught up; {@link RelayStartup}) before it opens the API anyway, with the relay health DOWN
 * @param publishWait how long a revoking command's answer waits for the relay to have published its
 *     events ({@link RelayPublication}); past it the answer goes out with
 *     {@code X-Keyledger-Relay: pending}; {@code 0} does not wait (and sends no header)
 * @param publishPollInterval how often a waiting answer re-reads the relay's committed position in
 *     {@code tokenentry} when no local relay batch woke it (the relay runs in another instance, or
 *     its batch had no event of this instance's)
 */
@ConfigurationProperties("keyledger.relay")
record RelayProperties(
        @DefaultValue(Topics.KEY_EVENTS) String topic,
        @DefaultValue("6") int partitions,
        Short replicationFactor,
        @DefaultValue("250") int batchSize,
        @DefaultValue("1") int threads,
        @DefaultValue("30s") Duration ackTimeout,
        @DefaultValue("5ms") Duration linger,
        @DefaultValue("120s") Duration startupTimeout,
        @DefaultValue("5s") Duration publishWait,
        @DefaultValue("25ms") Duration publishPollInterval) {}
