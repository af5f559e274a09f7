package dev.keyledger.query.activekeys;

import dev.keyledger.contracts.kafka.ActiveKeyEntry;
import dev.keyledger.contracts.kafka.ChangelogHeartbeat;
import dev.keyledger.contracts.kafka.DatabaseEntry;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Produces {@code keyledger.active-keys} from the projection tables. An entry is published only
 * when the key, its organization and (for a public key) its database are all known, so an
 * out-of-order arrival across aggregates publishes the entry when the last part arrives. A key
 * that is no longer active, or whose organization is suspended or whose database is deleted, is a
 * tombstone (decision 0012: the edge's table and hot path know nothing of suspensions; reactivation
 * publishes the entries of the keys that are still active). Every database is also published under
 * {@code database:<id>} ({@link DatabaseEntry}: its organization and origins), whether or not it has
 * a public key, so the edge knows every database's owner; a deleted database gets a tombstone there.
 *
 * <p>Every publish method returns only after the broker acknowledged every record (idempotent
 * producer, {@code acks=all}) and throws otherwise, so the caller can keep its transaction and
 * consumer positions uncommitted and retry: at least once, never lost. Used by the single
 * projection thread; the producer itself is thread safe.
 */
@Component
public class ActiveKeyChangelog implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveKeyChangelog.class);

    /** Header of an early tombstone (decision 0018); the edges ignore headers, tests and operators read it. */
    public static final String EARLY_HEADER = "keyledger_early_tombstone";

    private static final String COLUMNS = "SELECT k.key_hash, k.id, k.type, k.organization_id, k.database_id,"
            + " k.status, k.expires_at, o.plan, o.requests_per_minute, o.requests_per_day, d.allowed_origins,"
            + " o.id IS NOT NULL, d.id IS NOT NULL, k.revoked_at, o.status = 'suspended', d.deleted_at IS NOT NULL,"
            + " o.suspended_at, d.deleted_at"
            + " FROM api_keys k LEFT JOIN organizations o ON o.id = k.organization_id"
            + " LEFT JOIN databases d ON d.id = k.database_id";

    private static final String DATABASE_COLUMNS =
            "SELECT d.id, d.organization_id, d.allowed_origins, d.deleted_at IS NOT NULL FROM databases d";

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final KafkaProducer<String, byte[]> producer;
    private final Timer acknowledgeTime;
    private final EndedEarly endedEarly = new EndedEarly();
    private final Counter earlyTombstones;
    private final Counter earlyTombstoneFailures;
    private final Counter entries;
    private final Counter tombstones;
    private final Counter databases;
    private final Counter heartbeatsSent;
    private final Counter heartbeatFailures;
    private final Timer publishTime;

    ActiveKeyChangelog(
            DataSource dataSource, KafkaProperties kafka, ActiveKeysProperties properties, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        // A second template with a fetch size streams the snapshot; it joins the same transaction.
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(1000);
        createTopic(adminConfig(kafka), properties);
        this.producer = new KafkaProducer<>(producerConfig(kafka), new StringSerializer(), new ByteArraySerializer());
        this.entries = Counter.builder("keyledger_active_keys_published")
                .tag("kind", "entry")
                .description("Active-key entries published")
                .register(registry);
        this.tombstones = Counter.builder("keyledger_active_keys_published")
                .tag("kind", "tombstone")
                .description("Active-key tombstones published")
                .register(registry);
        this.databases = Counter.builder("keyledger_active_keys_published")
                .tag("kind", "database")
                .description("Database records (organization and origins) published")
                .register(registry);
        this.heartbeatsSent = Counter.builder("keyledger_active_keys_published")
                .tag("kind", "heartbeat")
                .description("Partition heartbeats sent")
                .register(registry);
        this.heartbeatFailures = Counter.builder("keyledger_active_keys_heartbeat_failures")
                .description("Partition heartbeats the broker did not acknowledge")
                .register(registry);
        this.publishTime = Timer.builder("keyledger_active_keys_publish")
                .description("One projection poll's changelog publish, from its read of the tables to the broker's"
                        + " acknowledgement of every record (10,000 tombstones for a suspension of 10,000 keys)")
                .register(registry);
        this.earlyTombstones = Counter.builder("keyledger_active_keys_published")
                .tag("kind", "early_tombstone")
                .description("Tombstones sent as soon as a poll read a revoked or expired key, before its writes")
                .register(registry);
        this.earlyTombstoneFailures = Counter.builder("keyledger_active_keys_early_tombstone_failures")
                .description("Early tombstones the broker did not acknowledge (the poll's publish sends them again)")
                .register(registry);
        this.acknowledgeTime = Timer.builder("keyledger_active_keys_publish_acknowledge")
                .description("The part of a changelog publish from the flush of its records to the broker's"
                        + " acknowledgement of the last one")
                .register(registry);
    }

    /**
     * Publishes the current state of the directly changed keys (entry or tombstone) and re-publishes
     * every active key of a changed organization or database, and the database record of every
     * changed database. Reads inside the caller's transaction.
     */
    public int publishChanges(Set<String> keyIds, Set<String> databaseIds, Set<String> organizationIds) {
        if (keyIds.isEmpty() && databaseIds.isEmpty() && organizationIds.isEmpty()) {
            return 0;
        }
        long start = System.nanoTime();
        Batch batch = new Batch();
        jdbc.query(
                COLUMNS + " WHERE k.id = ANY(?) OR (k.status = 'active'"
                        + " AND (k.organization_id = ANY(?) OR k.database_id = ANY(?)))",
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", keyIds.toArray()));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", organizationIds.toArray()));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", databaseIds.toArray()));
                },
                (RowCallbackHandler) rs -> publishRow(rs, batch, false));
        if (!databaseIds.isEmpty()) {
            jdbc.query(
                    DATABASE_COLUMNS + " WHERE d.id = ANY(?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", databaseIds.toArray())),
                    (RowCallbackHandler) rs -> publishDatabase(rs, batch));
        }
        int published = batch.await();
        publishTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return published;
    }

    /**
     * Publishes the whole table: an entry for every complete active key, a tombstone for every
     * other key of the tables, and the database record of every database. A hash the changelog
     * holds but the tables do not is left alone: a key is never revoked because its events are
     * missing. Reads inside the caller's transaction, streaming the rows.
     */
    public int publishSnapshot() {
        Batch batch = new Batch();
        streaming.query(COLUMNS, (RowCallbackHandler) rs -> publishRow(rs, batch, true));
        streaming.query(DATABASE_COLUMNS, (RowCallbackHandler) rs -> publishDatabase(rs, batch));
        return batch.await();
    }

    /**
     * Publishes the tombstone of one key whatever its row says, for a revocation or expiry whose
     * projection failed: the changelog of a revoked key is always written. Returns false when the
     * key is unknown here (then it was never published either). Reads inside the caller's
     * transaction.
     */
    public boolean publishTombstone(String keyId, Instant endOfLife) {
        List<String> hashes = jdbc.queryForList("SELECT key_hash FROM api_keys WHERE id = ?", String.class, keyId);
        if (hashes.isEmpty()) {
            return false;
        }
        Batch batch = new Batch();
        Long timestamp = endOfLife == null ? null : Math.min(endOfLife.toEpochMilli(), System.currentTimeMillis());
        for (String hash : hashes) {
            send(hash, null, timestamp, batch);
        }
        batch.await();
        return true;
    }

    /**
     * Sends the tombstone of a key whose life ended, without waiting for the broker: the projection
     * calls it as soon as a poll has read a revoked key's row, so the edges hear of the revocation
     * before the poll's rows are written. Not what keeps the changelog complete: the poll's
     * {@link #publishChanges} sends the tombstone again and waits for it, and its flush waits for
     * this one too. A failure is counted and logged.
     *
     * <p>From then on this instance never publishes an entry for that hash, only its tombstone: a
     * poll retried with other boundaries, or applied record by record, may publish the key's
     * organization or database before the revocation itself is applied, and its entry would take
     * back what the early tombstone told the edges (bounded, {@value EndedEarly#LIMIT} hashes).
     */
    public void sendTombstone(String keyHash, Instant endOfLife) {
        endedEarly.remember(keyHash);
        long timestamp = Math.min(endOfLife.toEpochMilli(), System.currentTimeMillis());
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<String, byte[]>(Topics.ACTIVE_KEYS, null, timestamp, keyHash, null);
        record.headers().add(EARLY_HEADER, new byte[] {1});
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                earlyTombstoneFailures.increment();
                LOG.warn("Early tombstone not published (the poll's publish sends it again): {}", e.toString());
            }
        });
        earlyTombstones.increment();
    }

    /**
     * Sends heartbeats without waiting for them: a heartbeat that is lost is followed by the next
     * one, and the projection must not stall on it. A failure is logged.
     */
    public void publishHeartbeats(List<ChangelogHeartbeat> heartbeats) {
        for (ChangelogHeartbeat heartbeat : heartbeats) {
            producer.send(
                    new ProducerRecord<>(
                            Topics.ACTIVE_KEYS,
                            Topics.HEARTBEAT_KEY_PREFIX + heartbeat.partition(),
                            KeyledgerJson.write(heartbeat)),
                    (metadata, exception) -> {
                        if (exception != null) {
                            heartbeatFailures.increment();
                            LOG.warn(
                                    "Heartbeat of partition {} not published: {}",
                                    heartbeat.partition(),
                                    exception.toString());
                        }
                    });
        }
        heartbeatsSent.increment(heartbeats.size());
    }

    private void publishRow(ResultSet rs, Batch batch, boolean tombstoneIncomplete) throws SQLException {
        String hash = rs.getString(1);
        String type = rs.getString(3);
        // A key of a suspended organization or of a deleted database is refused like a revoked one
        // (decision 0012): a tombstone now, its entry again when the organization is reactivated.
        // A key whose early tombstone this instance sent is revoked whatever its row says yet.
        boolean active = "active".equals(rs.getString(6))
                && !rs.getBoolean(15)
                && !rs.getBoolean(16)
                && !endedEarly.contains(hash);
        boolean complete = rs.getBoolean(12) && ("secret".equals(type) || rs.getBoolean(13));
        if (!active || (!complete && tombstoneIncomplete)) {
            send(hash, null, endOfLife(rs), batch);
        } else if (complete) {
            boolean secret = "secret".equals(type);
            OffsetDateTime expiresAt = rs.getObject(7, OffsetDateTime.class);
            Array origins = rs.getArray(11);
            ActiveKeyEntry entry = new ActiveKeyEntry(
                    rs.getString(2),
                    type,
                    rs.getString(4),
                    secret ? null : rs.getString(5),
                    rs.getString(8),
                    rs.getLong(9),
                    rs.getLong(10),
                    secret || origins == null ? List.of() : Arrays.asList((String[]) origins.getArray()),
                    expiresAt == null ? null : expiresAt.toInstant());
            send(hash, entry, null, batch);
        }
    }

    private void publishDatabase(ResultSet rs, Batch batch) throws SQLException {
        String id = rs.getString(1);
        if (rs.getBoolean(4)) {
            // A deleted database: the edge forgets its owner, so a secret key naming it is refused as
            // for an unknown database.
            batch.sent.incrementAndGet();
            producer.send(
                    new ProducerRecord<>(Topics.ACTIVE_KEYS, Topics.DATABASE_KEY_PREFIX + id, null), batch::completed);
            databases.increment();
            return;
        }
        Array origins = rs.getArray(3);
        DatabaseEntry entry = new DatabaseEntry(
                id, rs.getString(2), origins == null ? List.of() : Arrays.asList((String[]) origins.getArray()));
        batch.sent.incrementAndGet();
        producer.send(
                new ProducerRecord<>(Topics.ACTIVE_KEYS, Topics.DATABASE_KEY_PREFIX + id, KeyledgerJson.write(entry)),
                batch::completed);
        databases.increment();
    }

    /**
     * When a key stopped being valid: its revocation or expiry, else the suspension of its
     * organization or the deletion of its database (the earlier of the two when both apply). A
     * tombstone carries it as its record timestamp, so the edge measures revocation-to-deny
     * ({@code keyledger_edge_revocation_lag}) from the event's own time rather than from when this
     * service got round to publishing it, for a suspension or a revoke-all of 10,000 keys as for
     * one revocation. Never later than now: brokers refuse records stamped too far in the future
     * ({@code message.timestamp.after.max.ms}), and a clock ahead of the broker's must not stall
     * the projection. Null (the broker's now) only for a tombstone with no such time, such as an
     * incomplete key in a snapshot.
     */
    private static Long endOfLife(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject(14, OffsetDateTime.class);
        String status = rs.getString(6);
        if (at == null && "expired".equals(status)) {
            at = rs.getObject(7, OffsetDateTime.class);
        }
        if (at == null) {
            OffsetDateTime suspendedAt = rs.getBoolean(15) ? rs.getObject(17, OffsetDateTime.class) : null;
            OffsetDateTime deletedAt = rs.getBoolean(16) ? rs.getObject(18, OffsetDateTime.class) : null;
            at = suspendedAt == null || (deletedAt != null && deletedAt.isBefore(suspendedAt))
                    ? deletedAt
                    : suspendedAt;
        }
        return at == null ? null : Math.min(at.toInstant().toEpochMilli(), System.currentTimeMillis());
    }

    private void send(String hash, ActiveKeyEntry entry, Long timestamp, Batch batch) {
        byte[] value = entry == null ? null : KeyledgerJson.write(entry);
        batch.sent.incrementAndGet();
        producer.send(new ProducerRecord<>(Topics.ACTIVE_KEYS, null, timestamp, hash, value), batch::completed);
        (entry == null ? tombstones : entries).increment();
    }

    /** Hashes this instance sent an early tombstone for; oldest forgotten first. Thread safe. */
    static final class EndedEarly {
        static final int LIMIT = 100_000;

        private final LinkedHashMap<String, Boolean> hashes = new LinkedHashMap<>();

        synchronized void remember(String hash) {
            hashes.putLast(hash, Boolean.TRUE);
            if (hashes.size() > LIMIT) {
                hashes.pollFirstEntry();
            }
        }

        synchronized boolean contains(String hash) {
            return !hashes.isEmpty() && hashes.containsKey(hash);
        }
    }

    /** Records sent by one publish call and the first failure among them. */
    private final class Batch {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        void completed(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        }

        int await() {
            long start = System.nanoTime();
            producer.flush();
            acknowledgeTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            Exception exception = failure.get();
            if (exception != null) {
                throw new ChangelogUnavailableException(exception);
            }
            return (int) sent.get();
        }
    }

    /**
     * Boot's {@code spring.kafka.*} (bootstrap servers, {@code security.protocol}, {@code ssl.*},
     * {@code spring.kafka.properties.*} such as SASL, {@code spring.kafka.producer.*}), then what the
     * changelog relies on: idempotent, acknowledged by all in-sync replicas, no transactions.
     */
    static Map<String, Object> producerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A tombstone leaves at once; bursts still batch behind the requests in flight.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // A suspension or a deleted database is one burst of a tombstone per key (about 100 bytes
        // each): 256 KiB batches carry 10,000 of them in a few requests instead of the default
        // 16 KiB's sixty-odd, most of which would queue behind the five in flight.
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "keyledger-query-active-keys");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return config;
    }

    /** Boot's {@code spring.kafka.*} connection and security settings and {@code spring.kafka.admin.*}. */
    static Map<String, Object> adminConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "keyledger-query-active-keys-admin");
        return config;
    }

    private static void createTopic(Map<String, Object> adminConfig, ActiveKeysProperties properties) {
        try (Admin admin = Admin.create(adminConfig)) {
            NewTopic topic = new NewTopic(
                            KeyledgerTopics.ACTIVE_KEYS.name(), properties.partitions(), properties.replicationFactor())
                    .configs(KeyledgerTopics.ACTIVE_KEYS.configs());
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.info("Created compacted topic {}", Topics.ACTIVE_KEYS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + Topics.ACTIVE_KEYS, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + Topics.ACTIVE_KEYS, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating " + Topics.ACTIVE_KEYS, e);
        }
    }

    @Override
    public void destroy() {
        producer.close();
    }
}
