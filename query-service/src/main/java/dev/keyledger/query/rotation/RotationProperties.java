package dev.keyledger.query.rotation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the rotation-hygiene gauge.
 *
 * @param enabled whether this instance exports the gauge
 * @param maxAge keys created longer ago than this are due for rotation
 * @param refreshInterval how often the gauge is recomputed from the projection
 */
@ConfigurationProperties("keyledger.rotation")
record RotationProperties(Boolean enabled, Duration maxAge, Duration refreshInterval) {

    RotationProperties {
        enabled = enabled == null || enabled;
        maxAge = maxAge == null ? Duration.ofDays(90) : maxAge;
        refreshInterval = refreshInterval == null ? Duration.ofMinutes(1) : refreshInterval;
    }
}
