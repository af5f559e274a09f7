package dev.keyledger.query.securitylog;

import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the security log within its bounds and watches it for bursts, each on its own thread. Every
 * {@code purge-interval} rows older than {@code retention} go, then the oldest beyond {@code
 * max-rows}, in chunks of {@value #CHUNK} ({@code keyledger_security_log_purged_total{cause}}).
 * Every {@code burst-interval} the refusals of the busiest organization within {@code burst-window}
 * are read into {@code keyledger_security_log_busiest_organization_refusals}, the signal of the
 * burst alert: one series without an organization label (ids are never labels), so the runbook names
 * the organization from the log itself. Failures are logged and retried at the next run; both jobs
 * are idempotent, so every instance of a database may run them.
 */
@Component
class SecurityLogRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityLogRetention.class);
    static final int CHUNK = 10_000;

    private final SecurityLogStore store;
    private final SecurityLogProperties properties;
    private final Clock clock;
    private final Counter purgedRetention;
    private final Counter purgedMaxRows;
    private final AtomicLong busiest = new AtomicLong();
    private final PeriodicTask purgeTask = new PeriodicTask("keyledger-security-log-purge");
    private final PeriodicTask burstTask = new PeriodicTask("keyledger-security-log-burst");

    SecurityLogRetention(SecurityLogStore store, SecurityLogProperties properties, MeterRegistry registry) {
        this.store = store;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.purgedRetention = purged(registry, "retention");
        this.purgedMaxRows = purged(registry, "max_rows");
        Gauge.builder("keyledger_security_log_busiest_organization_refusals", busiest, AtomicLong::get)
                .description("Refused calls of the organization with the most of them within"
                        + " keyledger.security-log.burst-window")
                .register(registry);
    }

    private static Counter purged(MeterRegistry registry, String cause) {
        return Counter.builder("keyledger_security_log_purged")
                .description("Security log rows deleted, by retention or beyond max-rows")
                .tag("cause", cause)
                .register(registry);
    }

    /** Deletes what is past the retention, then the oldest beyond max-rows, as of {@code now}; returns the rows deleted. */
    long purge(Instant now) {
        long old = 0;
        int deleted;
        do {
            deleted = store.deleteOlderThan(now.minus(properties.retention()), CHUNK);
            old += deleted;
        } while (deleted == CHUNK);
        long beyond = 0;
        do {
            deleted = store.deleteBeyond(properties.maxRows(), CHUNK);
            beyond += deleted;
        } while (deleted == CHUNK);
        purgedRetention.increment(old);
        purgedMaxRows.increment(beyond);
        if (old + beyond > 0) {
            LOG.info("Security log purge deleted {} rows past the retention and {} beyond max-rows", old, beyond);
        }
        return old + beyond;
    }

    /** Reads the busiest organization's refusals within the burst window before {@code now}. */
    long measureBurst(Instant now) {
        long count = store.busiestOrganizationSince(now.minus(properties.burstWindow()));
        busiest.set(count);
        return count;
    }

    private void purgeOnce() {
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("Security log purge failed; retrying at the next interval", e);
        }
    }

    private void burstOnce() {
        try {
            measureBurst(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("Security log burst gauge could not be read; retrying at the next interval: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        purgeTask.start(this::purgeOnce, properties.purgeInterval(), properties.purgeInterval());
        burstTask.start(this::burstOnce, properties.burstInterval(), properties.burstInterval());
    }

    @Override
    public synchronized void stop() {
        purgeTask.stop();
        burstTask.stop();
    }

    @Override
    public synchronized boolean isRunning() {
        return purgeTask.isRunning();
    }
}
