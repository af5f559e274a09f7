package dev.keyledger.query.rotation;

import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Exports {@code keyledger_keys_rotation_overdue{plan}}: active, unexpired keys created more than
 * {@code keyledger.rotation.max-age} ago, by their organization's plan. One gauge per plan, so the
 * label set is fixed; recomputed every {@code refresh-interval} with one grouped query.
 */
@Component
class KeyRotationMetrics implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationMetrics.class);

    private final JdbcTemplate jdbc;
    private final RotationProperties properties;
    private final Map<String, Long> overdue = new ConcurrentHashMap<>();
    private final PeriodicTask task = new PeriodicTask("keyledger-rotation-metrics");

    KeyRotationMetrics(JdbcTemplate jdbc, RotationProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.properties = properties;
        if (properties.enabled()) {
            for (Plan plan : Plan.values()) {
                overdue.put(plan.wireName(), 0L);
                Gauge.builder("keyledger_keys_rotation_overdue", overdue, m -> m.getOrDefault(plan.wireName(), 0L))
                        .tag("plan", plan.wireName())
                        .description("Active keys older than the rotation age, per organization plan")
                        .register(registry);
            }
        }
    }

    /** Recomputes the gauges as of {@code now}. */
    void refresh(Instant now) {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        jdbc.query(
                "SELECT o.plan, count(*) FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
                        + " WHERE k.status = 'active' AND k.created_at < ?"
                        + " AND (k.expires_at IS NULL OR k.expires_at > ?) GROUP BY o.plan",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                },
                OffsetDateTime.ofInstant(now.minus(properties.maxAge()), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        for (Plan plan : Plan.values()) {
            overdue.put(plan.wireName(), counts.getOrDefault(plan.wireName(), 0L));
        }
    }

    /** The last computed value for a plan's wire name. */
    long overdue(String plan) {
        return overdue.getOrDefault(plan, 0L);
    }

    private void refreshNow() {
        try {
            refresh(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Refreshing keyledger_keys_rotation_overdue failed; keeping the previous values", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            return;
        }
        task.start(this::refreshNow, Duration.ZERO, properties.refreshInterval());
    }

    @Override
    public synchronized void stop() {
        task.stop();
    }

    @Override
    public synchronized boolean isRunning() {
        return task.isRunning();
    }
}
