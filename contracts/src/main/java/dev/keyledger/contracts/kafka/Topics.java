package dev.keyledger.contracts.kafka;

/** Kafka topic names shared by every service. */
public final class Topics {

    /** Every domain event, key = aggregate id, value = {@link KeyEventEnvelope}. */
    public static final String KEY_EVENTS = "keyledger.key-events";

    /**
     * Compacted; carries two kinds of record. Key records: key = hex SHA-256 of an API key (64
     * lowercase hex characters), value = {@link ActiveKeyEntry} or a tombstone. Database records:
     * key = {@link #DATABASE_KEY_PREFIX} + database id, value = {@link DatabaseEntry}, never a
     * tombstone. A consumer tells them apart by the key's prefix.
     */
    public static final String ACTIVE_KEYS = "keyledger.active-keys";

    /** Record-key prefix of a {@link DatabaseEntry} on {@link #ACTIVE_KEYS}. */
    public static final String DATABASE_KEY_PREFIX = "database:";

    /**
     * Record-key prefix of a {@link ChangelogHeartbeat} on {@link #ACTIVE_KEYS}: the prefix followed
     * by the partition number of {@link #KEY_EVENTS} it speaks for (for example {@code heartbeat:3}).
     * Never a tombstone; compaction keeps the newest one per partition.
     */
    public static final String HEARTBEAT_KEY_PREFIX = "heartbeat:";

    /** Usage of known keys recorded by the edge. */
    public static final String KEY_USAGE = "keyledger.key-usage";

    /**
     * Refused calls of the management and read APIs ({@code SecurityRefusal}, JSON), key = the
     * organization id or none; consumed by the query-service into its security log.
     */
    public static final String SECURITY_LOG = "keyledger.security-log";

    /**
     * Signed heads of every organization's audit hash chain ({@code AuditCheckpoint} JSON), key =
     * organization id; not compacted and kept forever, so a later rewrite of history shows against
     * an earlier checkpoint (docs/audit.md).
     */
    public static final String AUDIT_CHECKPOINTS = "keyledger.audit-checkpoints";

    private Topics() {}
}
