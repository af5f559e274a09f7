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

    /** Usage of known keys recorded by the edge. */
    public static final String KEY_USAGE = "keyledger.key-usage";

    private Topics() {}
}
