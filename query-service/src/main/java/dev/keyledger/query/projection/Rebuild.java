package dev.keyledger.query.projection;

import dev.keyledger.query.activekeys.ActiveKeyChangelog;
import dev.keyledger.query.kafka.PartitionedTopicConsumer;
import dev.keyledger.query.ownership.Lease;
import dev.keyledger.query.ownership.ReadSideOwnership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.StatementCallback;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds every projection from offset 0 without taking the live one down. The replay runs on a
 * thread of its own into shadow tables (schema {@value #SHADOW}, created {@code LIKE} the live
 * ones) while the live projection keeps applying new events and publishing the changelog, so the
 * edge keeps its last complete changelog, still receives new revocations, and heartbeats go on.
 * The shadow tables get their keys and unique indexes up front and their other indexes (the GiST
 * index of the temporal model, the paging indexes) in one build each once the replay has caught
 * up. Then the live projection thread swaps the shadow tables in by name, in one short
 * transaction, and publishes the new state as a snapshot: the changelog is reconciled to the
 * rebuilt tables. The swap waits (without polling) until the replay is at or past the live position
 * of every partition, so neither the tables nor the snapshot ever go behind what the live projection
 * already published (a revocation is never undone); what the replay read beyond is a duplicate for
 * the live consumer.
 *
 * <p>Refuses, loudly (state {@code failed} with a reason, an ERROR line, the metric
 * {@code keyledger_projection_rebuild_refused}), rather than revoke: when a partition no longer
 * starts at offset 0 (early records deleted), or when the replay lacks a key the live projection
 * holds as active. One rebuild at a time across every instance: the request is a conditional update
 * of the shared row {@code projection_state}, and a second request while it is set is refused (409).
 *
 * <p>With several instances (decision 0007) the rebuild runs where the projection role is held:
 * any instance may request it or read its state (the shared row), the holder's projection thread
 * starts, steps and swaps it, and every write of the replay and of the swap is fenced by the
 * role's lease. A holder that dies mid-rebuild leaves the shadow schema and its positions; the next
 * holder resumes from them.
 *
 * <p>{@link #request()} and {@link #status()} are called from any thread; {@link #afterLivePoll}
 * only from the projection thread, which owns the rest of the state.
 */
@Component
public class Rebuild {

    static final String SHADOW = "keyledger_rebuild";
    static final String RETIRED = "keyledger_rebuild_retired";

    private static final Logger LOG = LoggerFactory.getLogger(Rebuild.class);
    private static final String[] TABLES = {
        "organizations",
        "databases",
        "api_keys",
        "audit_log",
        "organization_versions",
        "database_versions",
        "api_key_versions"
    };
    private static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
    private static final long SWAP_WAIT_NANOS = 10_000_000_000L;

    private final KeyEventProjection projection;
    private final ProjectionStore store;
    private final ActiveKeyChangelog changelog;
    private final Parking parking;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ProjectionProperties properties;
    private final PartitionedTopicConsumer<List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> replay;
    private final Counter refused;
    private final Lease lease;

    // Written by the replay thread, read by the gauges and the projection thread.
    private volatile boolean replaying;
    private volatile double ratio;
    private volatile double eventsPerSecond;
    private volatile long events;
    private volatile long startNanos;
    private volatile Map<TopicPartition, Long> targets = Map.of();
    private volatile long lastStoredNanos;
    private volatile long lastLoggedNanos;

    private volatile String liveSchema;
    // Set by the replay thread once the shadow tables have all their indexes.
    private volatile boolean indexed;
    // The index builds in flight, for cancelIndexBuild.
    private final Set<Statement> building = ConcurrentHashMap.newKeySet();

    // Owned by the projection thread.
    private long lastCheckNanos;
    private long liveEpoch;

    Rebuild(
            KeyEventProjection projection,
            ProjectionStore store,
            ActiveKeyChangelog changelog,
            Parking parking,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            ProjectionProperties properties,
            ReadSideOwnership ownership,
            KafkaProperties kafka,
            MeterRegistry registry) {
        this.lease = ownership.lease(ReadSideOwnership.PROJECTION);
        this.projection = projection;
        this.store = store;
        this.changelog = changelog;
        this.parking = parking;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.refused = Counter.builder("keyledger_projection_rebuild_refused")
                .description("Rebuilds refused because keyledger.key-events lacks records the projection holds")
                .register(registry);
        this.replay = new PartitionedTopicConsumer<>(
                new PartitionedTopicConsumer.Settings(
                        "Rebuild",
                        properties.topic(),
                        "keyledger-rebuild",
                        "keyledger-query-rebuild",
                        ProjectionRunner.consumerConfig(properties),
                        SHADOW + ".projection_offsets",
                        properties.retryBackoff(),
                        properties.maxAttempts(),
                        "keyledger_projection_rebuild_replay",
                        "Rebuild polls rolled back and retried",
                        "Now minus the event time of the last replayed event; 0 when caught up",
                        "Records of keyledger.key-events not yet replayed by the running rebuild",
                        "Rebuild replaying {} partitions of {}",
                        LOG),
                new ReplayHandler(),
                // Fenced by the projection role, which the live consumer contests.
                lease,
                jdbc,
                transactions,
                kafka,
                registry);
        Gauge.builder("keyledger_projection_rebuild_progress_ratio", this, r -> r.ratio)
                .description("Share of the end offsets read by the running rebuild")
                .register(registry);
        Gauge.builder("keyledger_projection_rebuild_events_per_second", this, r -> r.eventsPerSecond)
                .description("Events per second of the running or last rebuild")
                .register(registry);
        Gauge.builder("keyledger_projection_rebuilding", this, r -> r.replaying ? 1 : 0)
                .description("1 while a rebuild runs")
                .register(registry);
    }

    /**
     * Asks for a rebuild; whichever instance projects starts it within about a second. Returns
     * false, changing nothing, while one is running on any instance.
     */
    public boolean request() {
        return jdbc.update("UPDATE projection_state SET rebuilding = true, state = 'running', reason = NULL,"
                        + " started_at = now(), percent = 0, events_per_second = 0, updated_at = now()"
                        + " WHERE id = 1 AND NOT rebuilding")
                == 1;
    }

    public RebuildStatus status() {
        return jdbc.queryForObject(
                "SELECT state, percent, events_per_second, started_at, reason FROM projection_state WHERE id = 1",
                (rs, row) -> {
                    OffsetDateTime started = rs.getObject(4, OffsetDateTime.class);
                    return new RebuildStatus(
                            rs.getString(1),
                            rs.getDouble(2),
                            rs.getDouble(3),
                            started == null ? null : started.toInstant(),
                            rs.getString(5));
                });
    }

    void stop() {
        cancelIndexBuild();
        replay.stop();
    }

    /**
     * Called on the projection thread when it owns the projection under a new epoch: forgets
     * whatever this instance knew of a rebuild, which another holder may have finished, failed or
     * moved on meanwhile. A rebuild still running is resumed from the shared row and shadow schema.
     */
    void owned(long epoch) {
        if (epoch == liveEpoch) {
            return;
        }
        cancelIndexBuild();
        replay.stop();
        replaying = false;
        liveEpoch = epoch;
        lastCheckNanos = 0;
    }

    /**
     * One step on the projection thread after a live poll committed: starts a requested rebuild,
     * or swaps a caught-up one in. Never throws: a rebuild that hits a failure is retried at the
     * next check, and the live projection goes on meanwhile.
     */
    void afterLivePoll(Consumer<String, byte[]> live, List<TopicPartition> partitions) {
        long now = System.nanoTime();
        if (now - lastCheckNanos < CHECK_INTERVAL_NANOS) {
            return;
        }
        lastCheckNanos = now;
        try {
            if (replaying) {
                if (replay.caughtUp()) {
                    String mismatch = shadowMismatch();
                    if (mismatch != null) {
                        refuse("the projection tables changed while the rebuild ran (" + mismatch
                                + ", a migration of a newer version?); the projection is kept as it is, request"
                                + " the rebuild again");
                    } else if (indexed) {
                        swap(live, partitions);
                    }
                } else if (!replay.isRunning()) {
                    replay.start();
                }
            } else if (Boolean.TRUE.equals(
                    jdbc.queryForObject("SELECT rebuilding FROM projection_state WHERE id = 1", Boolean.class))) {
                begin(live, partitions);
            }
        } catch (RuntimeException e) {
            LOG.error("Rebuild step failed; retrying", e);
        }
    }

    private void begin(Consumer<String, byte[]> live, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> beginning = live.beginningOffsets(partitions);
        List<String> truncated = beginning.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> "partition " + e.getKey().partition() + " starts at offset " + e.getValue())
                .sorted()
                .toList();
        if (!truncated.isEmpty()) {
            refuse(properties.topic() + " no longer holds its early records (" + String.join(", ", truncated)
                    + "); a replay would revoke keys it cannot see, so the projection is kept as it is");
            return;
        }
        liveSchema = jdbc.queryForObject("SELECT current_schema()", String.class);
        boolean resume = Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", Boolean.class, SHADOW));
        if (resume) {
            String mismatch = shadowMismatch();
            if (mismatch != null) {
                // Made before a migration, or by an older version whose copies carry other index
                // names: swapping it in would put the live tables back to that shape.
                LOG.warn(
                        "Rebuild: the shadow schema left by an earlier rebuild does not match the live tables ({});"
                                + " replaying from offset 0 into a new one",
                        mismatch);
                jdbc.execute("DROP SCHEMA " + SHADOW + " CASCADE");
                resume = false;
            }
        }
        if (!resume) {
            transactions.executeWithoutResult(status -> {
                jdbc.execute("CREATE SCHEMA " + SHADOW);
                for (String table : TABLES) {
                    // Keys and unique indexes now (the replay relies on them); the other indexes
                    // are built once, after the replay caught up (buildIndexes), not row by row.
                    jdbc.execute("CREATE TABLE " + SHADOW + "." + table + " (LIKE " + liveSchema + "." + table
                            + " INCLUDING ALL EXCLUDING INDEXES)");
                    for (String constraint : jdbc.queryForList(
                            "SELECT 'CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid)"
                                    + " FROM pg_constraint WHERE conrelid = ?::regclass AND contype IN ('p', 'u', 'x')"
                                    + " ORDER BY conname",
                            String.class,
                            liveSchema + "." + table)) {
                        jdbc.execute("ALTER TABLE " + SHADOW + "." + table + " ADD " + constraint);
                    }
                    for (String index : indexes(table, true)) {
                        jdbc.execute(index);
                    }
                }
                jdbc.execute("CREATE TABLE " + SHADOW + ".projection_offsets (LIKE " + liveSchema
                        + ".projection_offsets INCLUDING ALL)");
            });
        }
        indexed = false;
        targets = live.endOffsets(partitions);
        events = 0;
        ratio = 0;
        eventsPerSecond = 0;
        startNanos = System.nanoTime();
        lastStoredNanos = startNanos;
        lastLoggedNanos = startNanos;
        replaying = true;
        replay.start();
        LOG.info(
                "Rebuild {}: replaying {} from offset 0 into schema {} while the live projection keeps serving",
                resume ? "resumed" : "started",
                properties.topic(),
                SHADOW);
    }

    /**
     * Replaces the live rows with the rebuilt ones and reconciles the changelog, in one
     * transaction, once the replay has caught up. Runs on the projection thread, so the live
     * consumer does not move meanwhile.
     */
    private void swap(Consumer<String, byte[]> live, List<TopicPartition> partitions) {
        replay.stop();
        if (!replayReached(live, partitions)) {
            // The live projection read past the replay since its last poll. This thread does not
            // poll while it waits, so the replay catches up to a fixed target; the swap never puts
            // the tables (and the snapshot) behind what the live projection already published.
            replay.start();
            long deadline = System.nanoTime() + SWAP_WAIT_NANOS;
            while (!replayReached(live, partitions) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L);
            }
            replay.stop();
            if (!replayReached(live, partitions)) {
                LOG.info("Rebuild replay still behind the live projection; swapping later");
                replay.start();
                return;
            }
        }
        long missing = jdbc.queryForObject(
                "SELECT count(*) FROM " + liveSchema + ".api_keys o WHERE o.status = 'active' AND NOT EXISTS"
                        + " (SELECT 1 FROM " + SHADOW + ".api_keys n WHERE n.id = o.id)",
                Long.class);
        if (missing > 0) {
            refuse("the replay of " + properties.topic() + " lacks " + missing
                    + " keys the projection holds as active; the projection is kept as it is");
            return;
        }
        Map<Integer, Long> positions = transactions.execute(status -> {
            lease.fence(liveEpoch);
            // The rebuilt tables, indexes built, replace the live ones by name: a catalog change
            // under a short exclusive lock, however many rows (copying them back held the lock for
            // seconds per 100,000 events). The retired tables are dropped with the transaction.
            jdbc.execute("DROP SCHEMA IF EXISTS " + RETIRED + " CASCADE");
            jdbc.execute("CREATE SCHEMA " + RETIRED);
            for (String table : TABLES) {
                List<String> grants = jdbc.queryForList(
                        "SELECT format('GRANT %s ON %s TO %s', a.privilege_type, ?::text,"
                                + " CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)"
                                + " FROM pg_class c, aclexplode(c.relacl) a"
                                + " WHERE c.oid = ?::regclass AND a.grantee <> c.relowner",
                        String.class, liveSchema + "." + table, liveSchema + "." + table);
                jdbc.execute("ALTER TABLE " + liveSchema + "." + table + " SET SCHEMA " + RETIRED);
                jdbc.execute("ALTER TABLE " + SHADOW + "." + table + " SET SCHEMA " + liveSchema);
                grants.forEach(jdbc::execute);
            }
            jdbc.execute("DROP SCHEMA " + RETIRED + " CASCADE");
            // The replay is at or past the live position of every partition (checked above), so the
            // live consumer keeps its positions; what the rebuilt rows hold beyond them is a
            // duplicate when the live consumer reads it. LEAST keeps that true whatever happens.
            jdbc.update("INSERT INTO " + liveSchema + ".projection_offsets AS l (topic, partition, next_offset)"
                    + " SELECT topic, partition, next_offset FROM " + SHADOW + ".projection_offsets"
                    + " ON CONFLICT (topic, partition) DO UPDATE"
                    + " SET next_offset = LEAST(l.next_offset, excluded.next_offset)");
            int published = changelog.publishSnapshot();
            double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
            eventsPerSecond = events / seconds;
            jdbc.update(
                    "UPDATE projection_state SET rebuilding = false, state = 'idle', percent = 100,"
                            + " events_per_second = ?, updated_at = now() WHERE id = 1",
                    eventsPerSecond);
            jdbc.execute("DROP SCHEMA " + SHADOW + " CASCADE");
            LOG.info(
                    "Rebuild finished: {} events replayed in {} s ({} events/s), {} active-key records published",
                    events,
                    String.format("%.1f", seconds),
                    Math.round(eventsPerSecond),
                    published);
            Map<Integer, Long> stored = new HashMap<>();
            jdbc.query(
                    "SELECT partition, next_offset FROM " + liveSchema + ".projection_offsets WHERE topic = ?",
                    rs -> {
                        stored.put(rs.getInt(1), rs.getLong(2));
                    },
                    properties.topic());
            return stored;
        });
        replaying = false;
        ratio = 1;
        for (TopicPartition partition : partitions) {
            Long next = positions.get(partition.partition());
            if (next != null && next < live.position(partition)) {
                live.seek(partition, next);
            }
        }
        store.analyze();
    }

    /** Whether the replay's stored position of every partition is at or past the live consumer's. */
    private boolean replayReached(Consumer<String, byte[]> live, List<TopicPartition> partitions) {
        Map<Integer, Long> stored = new HashMap<>();
        jdbc.query(
                "SELECT partition, next_offset FROM " + SHADOW + ".projection_offsets WHERE topic = ?",
                rs -> {
                    stored.put(rs.getInt(1), rs.getLong(2));
                },
                properties.topic());
        for (TopicPartition partition : partitions) {
            if (stored.getOrDefault(partition.partition(), 0L) < live.position(partition)) {
                return false;
            }
        }
        return true;
    }

    private void refuse(String reason) {
        cancelIndexBuild();
        replay.stop();
        replaying = false;
        refused.increment();
        LOG.error("Rebuild refused: {}", reason);
        transactions.executeWithoutResult(status -> {
            lease.fence(liveEpoch);
            jdbc.update(
                    "UPDATE projection_state SET rebuilding = false, state = 'failed', reason = ?, updated_at = now()"
                            + " WHERE id = 1",
                    reason);
            jdbc.execute("DROP SCHEMA IF EXISTS " + SHADOW + " CASCADE");
        });
    }

    /**
     * The statements that create the live {@code table}'s indexes that back no constraint, unique
     * or not, on its shadow copy under the same names (so that a later migration finds them after
     * the swap); each does nothing when the index exists already, as after a resumed rebuild.
     */
    private List<String> indexes(String table, boolean unique) {
        String live = liveSchema + "." + table;
        String qualified = jdbc.queryForObject(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?::regclass",
                String.class,
                live);
        List<String> statements = new ArrayList<>();
        for (String definition : jdbc.queryForList(
                "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = ?::regclass"
                        + " AND x.indisunique = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                        + " WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))"
                        + " ORDER BY x.indexrelid",
                String.class,
                live,
                unique)) {
            String on = " ON " + qualified + " USING ";
            int at = definition.indexOf(on);
            String create = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
            if (at < 0 || !definition.startsWith(create)) {
                throw new IllegalStateException("Cannot place index on the shadow table: " + definition);
            }
            statements.add(create + "IF NOT EXISTS " + definition.substring(create.length(), at) + " ON " + SHADOW + "."
                    + table + " USING " + definition.substring(at + on.length()));
        }
        return statements;
    }

    /**
     * On the replay thread, once the replay has read to its targets: builds the indexes left out
     * of the shadow tables, one statement each, while the live projection goes on. Marks the
     * rebuild ready to swap.
     */
    private void buildIndexes() {
        long start = System.nanoTime();
        List<String> statements = new ArrayList<>();
        for (String table : TABLES) {
            statements.addAll(indexes(table, false));
        }
        for (String statement : statements) {
            buildIndex(statement);
        }
        long began = System.nanoTime();
        jdbc.execute("ANALYZE " + String.join(", ", qualified(SHADOW)));
        LOG.info("Rebuild tables analyzed in {} ms", (System.nanoTime() - began) / 1_000_000);
        indexed = true;
        LOG.info(
                "Rebuild replay caught up; {} indexes built on the rebuilt tables in {} ms",
                statements.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private void buildIndex(String statement) {
        long began = System.nanoTime();
        transactions.executeWithoutResult(status -> {
            // The session default (64 MB) makes large builds spill and GiST builds buffer.
            jdbc.execute("SET LOCAL maintenance_work_mem = '"
                    + properties.rebuildIndexMemory().toKilobytes() + "kB'");
            jdbc.execute((StatementCallback<Void>) running -> {
                // A build takes up to a minute per million events: stop(), owned() and refuse()
                // cancel it, so that neither they nor the live projection wait for it.
                building.add(running);
                try {
                    running.execute(statement);
                } finally {
                    building.remove(running);
                }
                return null;
            });
        });
        LOG.info("Rebuild index built in {} ms: {}", (System.nanoTime() - began) / 1_000_000, statement);
    }

    /** Cancels the index builds in flight, if any; each fails and is built again on a resume. */
    private void cancelIndexBuild() {
        for (Statement running : building) {
            try {
                running.cancel();
            } catch (SQLException e) {
                LOG.warn("Rebuild: could not cancel an index build: {}", e.toString());
            }
        }
    }

    /**
     * Null when every shadow table has its live table's columns (names, types, not-null, in order)
     * and no index the live table lacks by name; otherwise what differs first.
     */
    private String shadowMismatch() {
        for (String table : TABLES) {
            if (!Objects.equals(columns(liveSchema, table), columns(SHADOW, table))) {
                return "the columns of " + table + " differ";
            }
            List<String> extra = jdbc.queryForList(
                    "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                            + " WHERE x.indrelid = to_regclass(?) AND i.relname NOT IN (SELECT l.relname FROM pg_index y"
                            + " JOIN pg_class l ON l.oid = y.indexrelid WHERE y.indrelid = to_regclass(?))"
                            + " ORDER BY 1",
                    String.class,
                    SHADOW + "." + table,
                    liveSchema + "." + table);
            if (!extra.isEmpty()) {
                return "index " + extra.getFirst() + " of " + table + " is not a live index";
            }
        }
        return null;
    }

    private String columns(String schema, String table) {
        return jdbc.queryForObject(
                "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull"
                        + " THEN ' not null' ELSE '' END, ', ' ORDER BY attnum) FROM pg_attribute"
                        + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped",
                String.class,
                schema + "." + table);
    }

    private static List<String> qualified(String schema) {
        List<String> names = new ArrayList<>();
        for (String table : TABLES) {
            names.add(schema + "." + table);
        }
        return names;
    }

    /** The replay: the same projection, into the shadow tables, without publishing. */
    private final class ReplayHandler
            implements PartitionedTopicConsumer.Handler<
                    List<ConsumerRecord<String, byte[]>>, KeyEventProjection.Outcome> {

        @Override
        public List<ConsumerRecord<String, byte[]>> prepare(ConsumerRecords<String, byte[]> records) {
            List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
            records.forEach(list::add);
            return list;
        }

        @Override
        public KeyEventProjection.Outcome write(List<ConsumerRecord<String, byte[]>> records) {
            useShadow();
            return projection.apply(records);
        }

        @Override
        public Instant committed(List<ConsumerRecord<String, byte[]>> records, KeyEventProjection.Outcome outcome) {
            events += outcome.applied();
            return outcome.lastEventTime();
        }

        @Override
        public boolean isRecordFault(RuntimeException failure) {
            return !Failures.isInfrastructure(failure);
        }

        @Override
        public void park(ConsumerRecord<String, byte[]> record, RuntimeException failure) {
            // The parked-events table is not shadowed: the name resolves to the live one.
            useShadow();
            parking.park(record, failure, false);
        }

        @Override
        public void parked(ConsumerRecord<String, byte[]> record) {
            parking.parked(record);
        }

        @Override
        public void afterPoll(Consumer<String, byte[]> consumer, List<TopicPartition> partitions) {
            if (!indexed && replay.caughtUp()) {
                buildIndexes();
            }
            long total = 0;
            long done = 0;
            for (TopicPartition partition : partitions) {
                long end = targets.getOrDefault(partition, 0L);
                total += end;
                done += Math.min(end, consumer.position(partition));
            }
            long now = System.nanoTime();
            ratio = total == 0 ? 1 : (double) done / total;
            eventsPerSecond = events / Math.max(1e-3, (now - startNanos) / 1e9);
            if (now - lastStoredNanos >= CHECK_INTERVAL_NANOS) {
                lastStoredNanos = now;
                jdbc.update(
                        "UPDATE projection_state SET percent = ?, events_per_second = ?, updated_at = now()"
                                + " WHERE id = 1 AND rebuilding",
                        Math.floor(ratio * 1000) / 10,
                        eventsPerSecond);
            }
            if (now - lastLoggedNanos >= properties.progressInterval().toNanos()) {
                lastLoggedNanos = now;
                LOG.info(
                        "Rebuild {}% ({} of {} records), {} events applied, {} events/s",
                        String.format("%.1f", ratio * 100), done, total, events, Math.round(eventsPerSecond));
            }
        }
    }

    private void useShadow() {
        jdbc.execute("SET LOCAL search_path TO " + SHADOW + ", " + liveSchema);
    }
}
