package dev.keyledger.servicekit.securitylog;

import dev.keyledger.contracts.securitylog.RefusalReason;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The refusals of this service on their way to Kafka: counted per status and reason in {@code
 * keyledger_security_refusals_total{service,status,reason}} and put on a bounded queue that the
 * {@link SecurityLogPublisher} drains. Recording never blocks the refused request: when the queue is
 * full the refusal is dropped and counted ({@code keyledger_security_log_dropped_total{cause=
 * "queue_full"}}), so a flood of refused calls costs each of them a counter increment and a failed
 * {@code offer}, nothing more. Thread safe.
 */
public final class SecurityLog {

    static final String DROPPED = "keyledger_security_log_dropped";

    private final String service;
    private final boolean enabled;
    private final BlockingQueue<SecurityRefusal> queue;
    private final Map<RefusalReason, Counter> refusals = new EnumMap<>(RefusalReason.class);
    private final Counter droppedQueueFull;
    private final Counter droppedPublishFailed;
    private final Counter published;

    SecurityLog(String service, SecurityLogSettings settings, MeterRegistry registry) {
        this.service = service;
        this.enabled = settings.enabled();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (RefusalReason reason : RefusalReason.values()) {
            refusals.put(
                    reason,
                    Counter.builder("keyledger_security_refusals")
                            .description("Refused calls (401 and 403) of the API, by status and reason")
                            .tag("service", service)
                            .tag("status", Integer.toString(reason.status()))
                            .tag("reason", reason.wireName())
                            .register(registry));
        }
        this.droppedQueueFull = dropped(registry, service, "queue_full");
        this.droppedPublishFailed = dropped(registry, service, "publish_failed");
        this.published = Counter.builder("keyledger_security_log_published")
                .description("Refusals the broker acknowledged on keyledger.security-log")
                .tag("service", service)
                .register(registry);
        Gauge.builder("keyledger_security_log_queue_size", queue, BlockingQueue::size)
                .description("Refusals waiting for the security-log publisher")
                .tag("service", service)
                .register(registry);
    }

    private static Counter dropped(MeterRegistry registry, String service, String cause) {
        return Counter.builder(DROPPED)
                .description("Refusals that did not reach keyledger.security-log (queue full, or the broker did"
                        + " not acknowledge them)")
                .tag("service", service)
                .tag("cause", cause)
                .register(registry);
    }

    /** The service name the refusals carry ({@code spring.application.name}). */
    public String service() {
        return service;
    }

    /** Counts the refusal and queues it for publishing, or drops it if the queue is full; never waits. */
    void record(SecurityRefusal refusal, RefusalReason reason) {
        refusals.get(reason).increment();
        if (enabled && !queue.offer(refusal)) {
            droppedQueueFull.increment();
        }
    }

    /** Waits up to {@code timeout} for one refusal, then takes every other queued one, up to {@code max} in all. */
    int drain(Collection<SecurityRefusal> into, int max, Duration timeout) throws InterruptedException {
        SecurityRefusal first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return 0;
        }
        into.add(first);
        return 1 + queue.drainTo(into, max - 1);
    }

    int queued() {
        return queue.size();
    }

    void publishFailed() {
        droppedPublishFailed.increment();
    }

    void published() {
        published.increment();
    }
}
