package dev.keyledger.query.projection;

import dev.keyledger.contracts.kafka.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the projection consumer.
 *
 * @param enabled whether this instance consumes {@code keyledger.key-events} at all
 * @param topic the topic projected; {@code keyledger.key-events} except in tests
 * @param maxPollRecords records per poll, hence per database transaction
 * @param rebuildOnStart request a rebuild when the service starts (as {@code POST /api/v1/admin/rebuild})
 * @param retryBackoff pause after a failed poll before it is retried from the stored positions
 * @param maxAttempts failed attempts at a poll before its records are applied one by one and one
 *     that still fails for a reason of its own is parked
 * @param progressInterval how often a running rebuild logs its progress
 * @param heartbeatInterval how often a heartbeat per partition is published while the projection keeps up
 * @param instanceId names this instance in its heartbeats; the host name by default
 * @param rebuildIndexMemory {@code maintenance_work_mem} of the index builds at the end of a
 *     rebuild's replay (256 MB by default; PostgreSQL's own default, 64 MB, makes them spill)
 */
@ConfigurationProperties("keyledger.projection")
record ProjectionProperties(
        Boolean enabled,
        String topic,
        Integer maxPollRecords,
        Boolean rebuildOnStart,
        Duration retryBackoff,
        Integer maxAttempts,
        Duration progressInterval,
        Duration heartbeatInterval,
        String instanceId,
        DataSize rebuildIndexMemory) {

    ProjectionProperties {
        enabled = enabled == null || enabled;
        topic = topic == null ? Topics.KEY_EVENTS : topic;
        maxPollRecords = maxPollRecords == null ? 5000 : maxPollRecords;
        rebuildOnStart = rebuildOnStart != null && rebuildOnStart;
        retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
        maxAttempts = maxAttempts == null ? 3 : Math.max(1, maxAttempts);
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(1) : heartbeatInterval;
        instanceId = instanceId == null || instanceId.isBlank() ? hostName() : instanceId;
        rebuildIndexMemory = rebuildIndexMemory == null ? DataSize.ofMegabytes(256) : rebuildIndexMemory;
        if (rebuildIndexMemory.toKilobytes() < 1024 || rebuildIndexMemory.toGigabytes() > 64) {
            throw new IllegalArgumentException(
                    "keyledger.projection.rebuild-index-memory must be between 1MB and 64GB, got "
                            + rebuildIndexMemory);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "query-service";
        }
    }
}
