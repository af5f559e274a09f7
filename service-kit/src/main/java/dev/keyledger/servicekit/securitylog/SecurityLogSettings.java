package dev.keyledger.servicekit.securitylog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service records its refused calls, under {@code keyledger.security-log} (the query-service
 * binds the same prefix for the table's bounds). The client address follows the service's
 * {@code keyledger.web.trust-forwarded-for}, the same rule as the actor IP of the audit log.
 *
 * @param enabled publish refused calls on {@code keyledger.security-log}; when off they are still
 *     counted in {@code keyledger_security_refusals_total}, but not recorded
 * @param queueCapacity refusals waiting for the publisher at most; one more is dropped and counted
 *     ({@code keyledger_security_log_dropped_total{cause="queue_full"}}), never waited for
 * @param maxBlock longest the publisher thread waits for broker metadata or producer buffer space
 *     (the producer's {@code max.block.ms}); a refused request never waits for it
 * @param deliveryTimeout how long the producer tries to deliver one record before dropping it
 *     ({@code delivery.timeout.ms}, counted as {@code cause="publish_failed"})
 */
@ConfigurationProperties("keyledger.security-log")
public record SecurityLogSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("5s") Duration maxBlock,
        @DefaultValue("30s") Duration deliveryTimeout) {

    public SecurityLogSettings {
        if (queueCapacity < 1 || queueCapacity > 1_000_000) {
            throw new IllegalArgumentException("keyledger.security-log.queue-capacity must be between 1 and 1000000");
        }
        if (maxBlock.isNegative() || maxBlock.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("keyledger.security-log.max-block must be between 0s and 1m");
        }
        if (deliveryTimeout.compareTo(Duration.ofSeconds(15)) < 0
                || deliveryTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("keyledger.security-log.delivery-timeout must be between 15s and 1h");
        }
    }
}
