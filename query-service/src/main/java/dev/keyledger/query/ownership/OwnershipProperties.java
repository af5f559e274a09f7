package dev.keyledger.query.ownership;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the read side's leases (decision 0007).
 *
 * @param instanceId names this instance in {@code read_side_leases}, logs and health; host name and
 *     process id by default
 * @param leaseDuration how long a lease lasts after each renewal: a standby takes a role over this
 *     long after its holder last renewed it
 * @param renewInterval how often the holder renews, and a standby tries to take a role
 */
@ConfigurationProperties("keyledger.ownership")
public record OwnershipProperties(String instanceId, Duration leaseDuration, Duration renewInterval) {

    public OwnershipProperties {
        instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId;
        leaseDuration = leaseDuration == null ? Duration.ofSeconds(5) : leaseDuration;
        renewInterval = renewInterval == null ? Duration.ofSeconds(1) : renewInterval;
        if (renewInterval.multipliedBy(2).compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException("keyledger.ownership.renew-interval (" + renewInterval
                    + ") must be at most half of lease-duration (" + leaseDuration + ")");
        }
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "query-service";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
