package dev.keyledger.edge.usage;

import dev.keyledger.contracts.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of usage recording.
 *
 * @param enabled whether usage is recorded at all
 * @param topic where usage reports go
 * @param flushInterval how often the sender reads the spool and sends what it holds
 * @param maxRecordsPerFlush spool records one send aggregates at most
 * @param retryBackoff pause after a send the broker did not acknowledge, before it is sent again
 * @param maxBlock how long the sender thread (never a request thread) waits for Kafka metadata
 * @param spool the local spool every answered request is written to first
 */
@ConfigurationProperties("keyledger.usage")
public record UsageProperties(
        Boolean enabled,
        String topic,
        Duration flushInterval,
        Integer maxRecordsPerFlush,
        Duration retryBackoff,
        Duration maxBlock,
        Spool spool) {

    /** What a request with a known key gets when the spool has no room left. */
    public enum WhenFull {
        /** 503 {@code SERVICE_UNAVAILABLE}: nothing is answered that cannot be counted (default). */
        FAIL_CLOSED,
        /** The normal answer; the request is not counted ({@code keyledger_edge_usage_dropped_total}). */
        FAIL_OPEN
    }

    /**
     * @param dir the spool directory, one per edge process (its instance id lives there)
     * @param segmentSize bytes per segment file (preallocated; 16 bytes a request)
     * @param maxSize bytes of segment files at most (the bound on disk; at least two segments)
     * @param whenFull fail closed or open once {@code maxSize} is reached
     * @param fsync whether each send first msyncs the spool and the control file (survives a power
     *     loss up to the last send); without it the spool survives a process kill only
     */
    public record Spool(Path dir, DataSize segmentSize, DataSize maxSize, WhenFull whenFull, Boolean fsync) {

        public Spool {
            dir = dir == null ? Path.of("data", "usage-spool") : dir;
            segmentSize = segmentSize == null ? DataSize.ofMegabytes(64) : segmentSize;
            maxSize = maxSize == null ? DataSize.ofGigabytes(1) : maxSize;
            whenFull = whenFull == null ? WhenFull.FAIL_CLOSED : whenFull;
            fsync = fsync == null ? Boolean.TRUE : fsync;
            if (segmentSize.toBytes() > 1L << 30) {
                throw new IllegalArgumentException("keyledger.usage.spool.segment-size is at most 1GB");
            }
        }
    }

    public UsageProperties {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        topic = topic == null ? Topics.KEY_USAGE : topic;
        flushInterval = flushInterval == null ? Duration.ofMillis(200) : flushInterval;
        maxRecordsPerFlush = maxRecordsPerFlush == null || maxRecordsPerFlush <= 0 ? 2_000_000 : maxRecordsPerFlush;
        retryBackoff = retryBackoff == null ? Duration.ofSeconds(1) : retryBackoff;
        maxBlock = maxBlock == null ? Duration.ofSeconds(5) : maxBlock;
        spool = spool == null ? new Spool(null, null, null, null, null) : spool;
    }
}
