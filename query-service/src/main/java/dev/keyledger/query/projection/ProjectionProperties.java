package dev.keyledger.query.projection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the projection consumer.
 *
 * @param enabled whether this instance consumes {@code keyledger.key-events} at all
 * @param maxPollRecords records per poll, hence per database transaction
 * @param rebuildOnStart drop and rebuild every projection and the changelog when the service starts
 * @param retryBackoff pause after a failed poll before it is retried from the stored positions
 * @param progressInterval how often a running rebuild logs its progress
 */
@ConfigurationProperties("keyledger.projection")
record ProjectionProperties(
        Boolean enabled,
        Integer maxPollRecords,
        Boolean rebuildOnStart,
        Duration retryBackoff,
        Duration progressInterval) {

    ProjectionProperties {
        enabled = enabled == null || enabled;
        maxPollRecords = maxPollRecords == null ? 5000 : maxPollRecords;
        rebuildOnStart = rebuildOnStart != null && rebuildOnStart;
        retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
    }
}
