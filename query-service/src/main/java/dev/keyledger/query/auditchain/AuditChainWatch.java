package dev.keyledger.query.auditchain;

import dev.keyledger.query.ownership.ReadSideOwnership;
import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Watches for stalled audit chains (docs/audit.md, docs/runbooks/audit-chain-stalled.md). An
 * organization's chain stops at the first missing seq: normally for a moment (an entry on another
 * partition not applied yet), for good while the event is parked. Every {@value #INTERVAL_SECONDS}
 * s, on the instance holding the projection lease, it lists the organizations that hold entries
 * beyond their chain's head and remembers since when each has waited at that same head. Exported:
 * {@code keyledger_audit_chain_stalled_seconds} (the longest such wait, 0 when none) and
 * {@code keyledger_audit_chain_stalled_organizations}. The wait is counted from when this instance
 * first saw it, so a restart or a move of the lease starts it again. One index probe
 * ({@code audit_log_organization_seq}) per organization and run.
 */
@Component
class AuditChainWatch implements SmartLifecycle {

    static final long INTERVAL_SECONDS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainWatch.class);

    private final JdbcTemplate jdbc;
    private final ReadSideOwnership ownership;
    private final PeriodicTask task = new PeriodicTask("keyledger-audit-chain-watch");

    /** Organization id to the head seq it waits at and since when; guarded by {@code this}. */
    private Map<String, Waiting> waiting = Map.of();

    private volatile double stalledSeconds;
    private volatile int stalledOrganizations;

    private record Waiting(long headSeq, Instant since) {}

    AuditChainWatch(JdbcTemplate jdbc, ReadSideOwnership ownership, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.ownership = ownership;
        Gauge.builder("keyledger_audit_chain_stalled_seconds", this, w -> w.stalledSeconds)
                .description("Longest time an organization's audit chain has stayed at its head while entries"
                        + " beyond it wait (a missing seq: an event not applied yet or parked); 0 when none")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("keyledger_audit_chain_stalled_organizations", this, w -> w.stalledOrganizations)
                .description("Organizations whose audit chain waits for a missing seq")
                .register(registry);
    }

    /**
     * One check at {@code now}: updates the gauges and returns how long each waiting organization has
     * waited at its head. Package-private for tests.
     */
    synchronized Map<String, Duration> check(Instant now) {
        Map<String, Waiting> next = new HashMap<>();
        jdbc.query(
                "SELECT o.organization_id, coalesce(h.seq, 0) FROM"
                        + " (SELECT id AS organization_id FROM organizations"
                        + " UNION SELECT organization_id FROM audit_chain_heads) o"
                        + " LEFT JOIN audit_chain_heads h ON h.organization_id = o.organization_id"
                        + " WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.organization_id = o.organization_id"
                        + " AND a.seq > coalesce(h.seq, 0))",
                rs -> {
                    String organization = rs.getString(1);
                    long head = rs.getLong(2);
                    Waiting before = waiting.get(organization);
                    next.put(
                            organization, before != null && before.headSeq() == head ? before : new Waiting(head, now));
                });
        waiting = next;
        Map<String, Duration> waits = new HashMap<>();
        long longest = 0;
        for (Map.Entry<String, Waiting> entry : next.entrySet()) {
            Duration wait = Duration.between(entry.getValue().since(), now);
            waits.put(entry.getKey(), wait);
            longest = Math.max(longest, wait.toSeconds());
        }
        stalledSeconds = longest;
        stalledOrganizations = next.size();
        return waits;
    }

    private void runOnce() {
        try {
            if (ownership.holds(ReadSideOwnership.PROJECTION)) {
                check(Instant.now());
            } else {
                clear();
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit chain check failed; retrying at the next run: {}", e.toString());
        }
    }

    private synchronized void clear() {
        waiting = Map.of();
        stalledSeconds = 0;
        stalledOrganizations = 0;
    }

    @Override
    public void start() {
        task.start(this::runOnce, Duration.ofSeconds(INTERVAL_SECONDS), Duration.ofSeconds(INTERVAL_SECONDS));
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.isRunning();
    }
}
