package dev.keyledger.query.usage;

import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes minute buckets older than {@code keyledger.usage.minute-retention} and hour buckets
 * older than {@code keyledger.usage.hour-retention}, every {@code retention-interval}, on its own
 * thread and in chunks of {@value #CHUNK} rows (one short transaction each). Day buckets and the
 * per-key totals are kept. Runs only where usage metering runs. A failed run is logged and retried
 * at the next interval.
 */
@Component
class UsageRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRetention.class);
    private static final int CHUNK = 10_000;

    private final UsageStore store;
    private final UsageProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final Counter minutesDeleted;
    private final Counter hoursDeleted;
    private final PeriodicTask task = new PeriodicTask("keyledger-usage-retention");

    UsageRetention(UsageStore store, UsageProperties properties, MeterRegistry registry) {
        this.store = store;
        this.properties = properties;
        this.minutesDeleted = deleted(registry, "minute");
        this.hoursDeleted = deleted(registry, "hour");
    }

    private static Counter deleted(MeterRegistry registry, String interval) {
        return Counter.builder("keyledger_usage_retention_deleted")
                .tag("interval", interval)
                .description("Usage bucket rows deleted by retention")
                .register(registry);
    }

    /** Deletes every expired bucket as of {@code now}; returns the rows deleted. */
    long purge(Instant now) {
        long minutes = purge("key_usage_minutes", now.minus(properties.minuteRetention()));
        long hours = purge("key_usage_hours", now.minus(properties.hourRetention()));
        minutesDeleted.increment(minutes);
        hoursDeleted.increment(hours);
        if (minutes + hours > 0) {
            LOG.info("Usage retention deleted {} minute and {} hour buckets", minutes, hours);
        }
        return minutes + hours;
    }

    private long purge(String table, Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = store.deleteBefore(table, cutoff, CHUNK);
            total += deleted;
        } while (deleted == CHUNK);
        return total;
    }

    private void runOnce() {
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("Usage retention failed; retrying at the next interval", e);
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            return;
        }
        Duration interval = properties.retentionInterval();
        Duration initialDelay = interval.compareTo(Duration.ofMinutes(1)) < 0 ? interval : Duration.ofMinutes(1);
        task.start(this::runOnce, initialDelay, interval);
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
