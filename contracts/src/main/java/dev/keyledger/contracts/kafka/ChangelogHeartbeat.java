package dev.keyledger.contracts.kafka;

import java.time.Instant;

/**
 * The value of a heartbeat record on {@link Topics#ACTIVE_KEYS}, under the record key
 * {@link Topics#HEARTBEAT_KEY_PREFIX} followed by {@code partition}. It says: every record of
 * partition {@code partition} of {@link Topics#KEY_EVENTS} before offset {@code offset} (the next
 * offset to read) is reflected in this changelog, and the read side saw that at {@code readAt}.
 *
 * <p>The query-service publishes one per partition it owns, about every second, and only while it
 * keeps up with that partition: a wedged, stopped or dead projection stops its heartbeats, so their
 * age is the freshness of the data the edge decides on. {@code partitions} is the partition count of
 * {@link Topics#KEY_EVENTS} the publisher saw, so an edge knows how many heartbeats to expect;
 * {@code instance} names the publishing read-side instance (for operators; never a metric label).
 */
public record ChangelogHeartbeat(int partition, int partitions, long offset, Instant readAt, String instance) {}
