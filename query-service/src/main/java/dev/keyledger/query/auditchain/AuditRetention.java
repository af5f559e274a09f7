package dev.keyledger.query.auditchain;

import dev.keyledger.query.ownership.Lease;
import dev.keyledger.query.ownership.ReadSideOwnership;
import dev.keyledger.query.scheduling.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Shortens the read models' audit log when {@code keyledger.audit.retention} is set (forever
 * otherwise): per organization, every chained entry up to the newest one that occurred before
 * the cut-off, never the chain's head, so what is kept is a contiguous run of seqs whose first
 * entry still carries its predecessor's hash and an export of it chains to the earlier ones. The
 * event store and {@code keyledger.key-events} are not touched (a rebuild brings the entries back
 * until the next run). Runs on the projection lease holder, fenced like every projection write.
 */
@Component
public class AuditRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;
    private final ReadSideOwnership ownership;
    private final Counter deleted;
    private final Clock clock = Clock.systemUTC();
    private final PeriodicTask task = new PeriodicTask("keyledger-audit-retention");

    AuditRetention(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            AuditProperties properties,
            ReadSideOwnership ownership,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.ownership = ownership;
        this.deleted = Counter.builder("keyledger_audit_retention_deleted")
                .description("Audit entries removed from the read models by keyledger.audit.retention")
                .register(registry);
    }

    /**
     * Deletes the entries that occurred before {@code cutoff} as described above, of one
     * organization or (null) of all; returns how many.
     */
    public int purge(Instant cutoff, String organizationId) {
        Lease lease = ownership.lease(ReadSideOwnership.PROJECTION);
        long epoch = lease.epoch();
        if (epoch == 0) {
            return 0;
        }
        Integer count = transactions.execute(status -> {
            lease.fence(epoch);
            return jdbc.update(
                    "DELETE FROM audit_log a USING (SELECT organization_id, max(seq) AS upto FROM audit_log"
                            + " WHERE occurred_at < ? AND hash IS NOT NULL GROUP BY organization_id) d,"
                            + " audit_chain_heads h"
                            + " WHERE a.organization_id = d.organization_id AND h.organization_id = a.organization_id"
                            + " AND a.seq <= d.upto AND a.seq < h.seq AND a.hash IS NOT NULL"
                            + (organizationId == null ? " AND ?::text IS NULL" : " AND a.organization_id = ?"),
                    cutoff.atOffset(ZoneOffset.UTC),
                    organizationId);
        });
        int removed = count == null ? 0 : count;
        deleted.increment(removed);
        if (removed > 0) {
            LOG.info("Audit retention removed {} entries that occurred before {}", removed, cutoff);
        }
        return removed;
    }

    private void runOnce() {
        try {
            purge(clock.instant().minus(properties.retention()), null);
        } catch (RuntimeException e) {
            LOG.error("Audit retention failed; retrying at the next interval", e);
        }
    }

    @Override
    public synchronized void start() {
        if (properties.retention() == null) {
            return;
        }
        Duration interval = properties.retentionInterval();
        task.start(
                this::runOnce,
                interval.compareTo(Duration.ofMinutes(1)) < 0 ? interval : Duration.ofMinutes(1),
                interval);
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
