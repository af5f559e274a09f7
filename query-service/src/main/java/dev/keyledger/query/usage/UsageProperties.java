package dev.keyledger.query.usage;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of usage metering.
 *
 * @param enabled whether this instance consumes {@code keyledger.key-usage} (one instance per database)
 * @param maxPollRecords usage reports (up to 4,000 rows each) per database transaction, gathered from
 *     consecutive polls of up to 64 while a backlog lasts
 * @param retryBackoff pause after a failed poll before it is retried from the stored positions
 * @param minuteRetention how long minute buckets are kept
 * @param hourRetention how long hour buckets are kept (day buckets are kept forever)
 * @param retentionInterval how often the retention job runs
 */
@ConfigurationProperties("keyledger.usage")
record UsageProperties(
        Boolean enabled,
        Integer maxPollRecords,
        Duration retryBackoff,
        Duration minuteRetention,
        Duration hourRetention,
        Duration retentionInterval) {

    UsageProperties {
        enabled = enabled == null || enabled;
        maxPollRecords = maxPollRecords == null ? 192 : maxPollRecords;
        retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
        minuteRetention = minuteRetention == null ? Duration.ofDays(7) : minuteRetention;
        hourRetention = hourRetention == null ? Duration.ofDays(90) : hourRetention;
        retentionInterval = retentionInterval == null ? Duration.ofHours(1) : retentionInterval;
    }
}
