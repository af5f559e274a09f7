package dev.keyledger.contracts.kafka;

/** Kafka topic names shared by every service. */
public final class Topics {

    /** Every domain event, key = aggregate id, value = {@link KeyEventEnvelope}. */
    public static final String KEY_EVENTS = "keyledger.key-events";

    /** Compacted; key = hex SHA-256 of an API key, value = {@link ActiveKeyEntry} or a tombstone. */
    public static final String ACTIVE_KEYS = "keyledger.active-keys";

    /** Usage of known keys recorded by the edge. */
    public static final String KEY_USAGE = "keyledger.key-usage";

    private Topics() {}
}
