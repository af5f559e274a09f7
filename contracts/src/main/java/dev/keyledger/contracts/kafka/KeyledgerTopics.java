package dev.keyledger.contracts.kafka;

import java.util.List;
import java.util.Map;

/**
 * The settings of every Keyledger topic, declared once. Whoever creates a topic (the command-side
 * relay for {@link Topics#KEY_EVENTS}, the query-service for {@link Topics#ACTIVE_KEYS}, the
 * standalone broker and the tests for all of them) builds it from here, so no creator can drift.
 * Partition counts are defaults a deployment may override; the configs are not.
 *
 * <p>Replication is a property of the deployment, not of the topic: the replication factor and
 * {@code min.insync.replicas} are settings of the one owner that creates and aligns every topic
 * (the command-service, {@code keyledger.topics.*}; docs/deploy.md), 1 and 1 on the standalone's
 * single broker, 3 and 2 on the local cluster. With {@code acks=all}, which every Keyledger
 * producer uses, a record is acknowledged only once {@code min.insync.replicas} replicas have it.
 */
public final class KeyledgerTopics {

    /** A topic: its name, default partition count and the topic configs it is created with. */
    public record Spec(String name, int defaultPartitions, Map<String, String> configs) {

        /** Name of the topic config that bounds how many replicas must hold an acknowledged record. */
        public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

        /**
         * The declared configs plus {@code min.insync.replicas} when the deployment sets one
         * ({@code null}: the broker's default applies).
         */
        public Map<String, String> configs(Integer minInsyncReplicas) {
            if (minInsyncReplicas == null) {
                return configs;
            }
            if (minInsyncReplicas < 1) {
                throw new IllegalArgumentException("min.insync.replicas must be at least 1: " + minInsyncReplicas);
            }
            Map<String, String> all = new java.util.TreeMap<>(configs);
            all.put(MIN_INSYNC_REPLICAS, Integer.toString(minInsyncReplicas));
            return Map.copyOf(all);
        }
    }

    /**
     * The log the read side rebuilds from: kept forever (no time or size retention, never
     * compacted). A rebuild refuses to run on a partition that no longer starts at offset 0.
     */
    public static final Spec KEY_EVENTS = new Spec(
            Topics.KEY_EVENTS, 6, Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));

    /**
     * The edge's table: compacted, the newest record per key is its state. Segments roll every hour
     * so the heartbeats (one per key-events partition per second, about 86,400 a day each) are
     * compacted away within hours rather than after the broker's default week, and a booting edge
     * reads a table, not a week of heartbeats.
     */
    public static final Spec ACTIVE_KEYS = new Spec(
            Topics.ACTIVE_KEYS,
            3,
            Map.of("cleanup.policy", "compact", "segment.ms", "3600000", "min.cleanable.dirty.ratio", "0.1"));

    /** Usage records: the broker's default retention (counted exactly once, then no longer needed). */
    public static final Spec KEY_USAGE = new Spec(Topics.KEY_USAGE, 6, Map.of("cleanup.policy", "delete"));

    /**
     * Refused calls on their way to the query-service's security log: kept a week and at most 256 MiB
     * per partition, so a flood of refusals cannot fill the brokers' disks (the table has its own
     * bounds, decision record 0014).
     */
    public static final Spec SECURITY_LOG = new Spec(
            Topics.SECURITY_LOG,
            3,
            Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "retention.bytes", "268435456"));

    /**
     * Signed audit chain heads: never compacted and never deleted (no time or size retention), so
     * every checkpoint ever published stays comparable with a later export.
     */
    public static final Spec AUDIT_CHECKPOINTS = new Spec(
            Topics.AUDIT_CHECKPOINTS,
            3,
            Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));

    public static final List<Spec> ALL = List.of(KEY_EVENTS, ACTIVE_KEYS, KEY_USAGE, AUDIT_CHECKPOINTS, SECURITY_LOG);

    private KeyledgerTopics() {}
}
