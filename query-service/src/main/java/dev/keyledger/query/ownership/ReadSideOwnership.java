package dev.keyledger.query.ownership;

import dev.keyledger.query.kafka.Ownership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which consumer roles this instance holds (decision 0007). Every query-service instance may run
 * every consumer; each role ({@value #PROJECTION}: the key-event projection, its changelog,
 * heartbeats and rebuild; {@value #USAGE}: usage metering) is active on the one instance holding
 * its lease in {@code read_side_leases}, and the others stand by. A role is contested while a
 * consumer of it runs here ({@link Ownership#contest()}); one thread renews held leases and tries
 * the others every {@code renew-interval}; a graceful stop gives the roles up at once.
 *
 * <p>Metrics per role: {@code keyledger_read_side_lease_held}, {@code keyledger_read_side_lease_epoch},
 * {@code keyledger_read_side_lease_acquired_total}, {@code keyledger_read_side_lease_lost_total}.
 */
@Component
public class ReadSideOwnership implements SmartLifecycle {

    public static final String PROJECTION = "projection";
    public static final String USAGE = "usage";

    private static final Logger LOG = LoggerFactory.getLogger(ReadSideOwnership.class);

    private final OwnershipProperties properties;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final MeterRegistry registry;
    private final String token = UUID.randomUUID().toString();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();

    private ScheduledExecutorService renewer;

    ReadSideOwnership(DataSource dataSource, OwnershipProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.jdbc = new JdbcTemplate(dataSource);
        // A renewal that hangs must not outlive the lease it renews.
        this.jdbc.setQueryTimeout((int) Math.max(1, properties.leaseDuration().toSeconds() / 2));
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.registry = registry;
    }

    /** This instance's name in the lease table. */
    public String instanceId() {
        return properties.instanceId();
    }

    /**
     * The ownership of {@code role} for a consumer: contested while the consumer runs, given up
     * when it stops.
     */
    public Ownership ownership(String role) {
        Role state = role(role);
        return new Ownership() {
            @Override
            public long epoch() {
                return state.lease.epoch();
            }

            @Override
            public void fence(long epoch) {
                state.lease.fence(epoch);
            }

            @Override
            public void contest() {
                ReadSideOwnership.this.contest(state);
            }

            @Override
            public void withdraw() {
                ReadSideOwnership.this.withdraw(state);
            }

            @Override
            public String toString() {
                return state.lease.toString();
            }
        };
    }

    /** The lease of {@code role} itself: its epoch and fence, without contesting it. */
    public Lease lease(String role) {
        return role(role).lease;
    }

    /** Whether this instance holds {@code role} now. */
    public boolean holds(String role) {
        Role state = roles.get(role);
        return state != null && state.lease.held();
    }

    private Role role(String role) {
        return roles.computeIfAbsent(role, name -> {
            Role state = new Role(
                    new Lease(name, properties.instanceId(), token, properties.leaseDuration(), jdbc, transactions));
            Gauge.builder("keyledger_read_side_lease_held", state.lease, l -> l.held() ? 1 : 0)
                    .tag("role", name)
                    .description("1 while this instance holds the role's lease and runs it")
                    .register(registry);
            Gauge.builder("keyledger_read_side_lease_epoch", state.lease, Lease::epoch)
                    .tag("role", name)
                    .description("The epoch of the role's lease held here; 0 while standing by")
                    .register(registry);
            state.acquired = Counter.builder("keyledger_read_side_lease_acquired")
                    .tag("role", name)
                    .description("Times this instance took the role's lease")
                    .register(registry);
            state.lost = Counter.builder("keyledger_read_side_lease_lost")
                    .tag("role", name)
                    .description("Times this instance lost the role's lease without giving it up")
                    .register(registry);
            return state;
        });
    }

    private void contest(Role state) {
        ScheduledExecutorService current;
        synchronized (this) {
            if (state.contested) {
                return;
            }
            state.lease.register();
            state.contested = true;
            current = renewer;
        }
        LOG.info("{} contests the {} role", properties.instanceId(), state.lease.role());
        if (current != null) {
            current.execute(this::renewAll);
        }
    }

    private void withdraw(Role state) {
        synchronized (this) {
            if (!state.contested) {
                return;
            }
            state.contested = false;
        }
        try {
            if (state.lease.held()) {
                LOG.info("{} gives the {} role up", properties.instanceId(), state.lease.role());
            }
            state.lease.release();
        } catch (RuntimeException e) {
            LOG.warn("Could not give the {} role up; it expires by itself", state.lease.role(), e);
        }
        state.wasHeld = 0;
    }

    /** One round of the renewal thread: renew what is held, try what is not. Never throws. */
    private void renewAll() {
        for (Role state : roles.values()) {
            if (!state.contested) {
                continue;
            }
            try {
                long before = state.wasHeld;
                long now = state.lease.acquireOrRenew();
                if (now != before) {
                    if (before != 0) {
                        state.lost.increment();
                        LOG.warn(
                                "{} lost the {} role (epoch {}); standing by",
                                properties.instanceId(),
                                state.lease.role(),
                                before);
                    }
                    if (now != 0) {
                        state.acquired.increment();
                        LOG.info("{} holds the {} role (epoch {})", properties.instanceId(), state.lease.role(), now);
                    }
                    state.wasHeld = now;
                }
            } catch (RuntimeException e) {
                LOG.warn("Lease round for the {} role failed", state.lease.role(), e);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (renewer != null) {
            return;
        }
        renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keyledger-read-side-leases");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(
                this::renewAll, 0, properties.renewInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current;
        synchronized (this) {
            current = renewer;
            renewer = null;
        }
        if (current != null) {
            current.shutdownNow();
        }
        for (Role state : roles.values()) {
            withdraw(state);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return renewer != null;
    }

    /** Starts before the consumers and stops after them, so their roles are given up last. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    private static final class Role {
        private final Lease lease;
        private volatile boolean contested;
        private volatile long wasHeld;
        private Counter acquired;
        private Counter lost;

        Role(Lease lease) {
            this.lease = lease;
        }
    }
}
