package dev.keyledger.query.securitylog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The security log's table, under {@code keyledger.security-log} (the service kit binds the same
 * prefix for the publishing side: {@code enabled}, {@code queue-capacity}, ...).
 *
 * @param ingestEnabled whether this instance consumes {@code keyledger.security-log} into the table
 *     (every instance of one database may; they share the consumer group)
 * @param consumerGroup the Kafka consumer group of the ingest; instances with separate databases
 *     need separate groups
 * @param maxRows rows kept at most: beyond it the oldest are deleted at each purge, so between two
 *     purges the table holds at most this plus what arrived meanwhile
 * @param retention rows older than this are deleted at each purge
 * @param purgeInterval how often the purge runs
 * @param burstWindow the window of {@code keyledger_security_log_busiest_organization_refusals}: the
 *     refusals of the organization with the most of them within it
 * @param burstInterval how often that gauge is read from the table
 */
@ConfigurationProperties("keyledger.security-log")
record SecurityLogProperties(
        @DefaultValue("true") boolean ingestEnabled,
        @DefaultValue("keyledger-query-security-log") String consumerGroup,
        @DefaultValue("1000000") long maxRows,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1m") Duration purgeInterval,
        @DefaultValue("5m") Duration burstWindow,
        @DefaultValue("15s") Duration burstInterval) {

    SecurityLogProperties {
        if (maxRows < 1) {
            throw new IllegalArgumentException("keyledger.security-log.max-rows must be at least 1");
        }
        if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("keyledger.security-log.retention must be at least 1m");
        }
        if (purgeInterval.compareTo(Duration.ofMillis(100)) < 0
                || burstInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException(
                    "keyledger.security-log.purge-interval and burst-interval must be at least 100ms");
        }
        if (burstWindow.compareTo(Duration.ofSeconds(1)) < 0 || burstWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("keyledger.security-log.burst-window must be between 1s and 1d");
        }
    }
}
