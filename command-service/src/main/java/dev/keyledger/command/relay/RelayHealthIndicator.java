package dev.keyledger.command.relay;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the relay, component {@code relay}, part of the readiness group: {@code DOWN} until the
 * relay has run once since the start (its producer connected to the broker and the
 * {@code kafka-relay} processor caught up with the event store; {@link RelayStartup}), with what it
 * still waits for in {@code waiting_for}; {@code UP} from then on. A broker outage later does not
 * take it down: commands are still stored and relayed when the broker is back (the
 * {@code keyledger.relay.lag} gauge shows how far behind it is).
 */
@Component
class RelayHealthIndicator implements HealthIndicator {

    private final RelayStartup startup;

    RelayHealthIndicator(RelayStartup startup) {
        this.startup = startup;
    }

    @Override
    public Health health() {
        String waitingFor = startup.waitingFor();
        if (waitingFor != null) {
            return Health.down().withDetail("waiting_for", waitingFor).build();
        }
        return Health.up()
                .withDetail("partitions", startup.partitions())
                .withDetail("ready_after_ms", startup.readyAfterMillis())
                .build();
    }
}
