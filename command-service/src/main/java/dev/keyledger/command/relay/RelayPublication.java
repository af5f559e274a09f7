package dev.keyledger.command.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Lets a revoking command's answer wait until the relay has published its events to Kafka, i.e.
 * the broker acknowledged them (decision record 0017). The position waited on is durable: the
 * {@code kafka-relay} processor's token in {@code tokenentry}, which the relay commits only after
 * every record of its batch was acknowledged (decision record 0006). So it works whichever
 * command-service instance runs the relay; when it runs in this one, each committed batch wakes the
 * waiters at once ({@link #relayCommitted()}), otherwise they re-read the token every
 * {@code publish-poll-interval}.
 *
 * <p>What is waited for: the last stored event of each aggregate the command touched (the revoked
 * key, the suspended organization, ...), not only the events this call appended, so that repeating
 * a revocation whose first answer went out {@code pending} waits for that earlier event too. An
 * event is published when every token segment has passed its global index and does not hold it as
 * a gap. The relay never reads past an append that may still commit (decision record 0003), so a
 * committed event below a token's index is never one it skipped.
 *
 * <p>Thread safe: token reads are shared (a waiter that woke after a read started uses that read),
 * under a lock, not a monitor, so that virtual threads are not pinned during the query.
 */
@Component
public class RelayPublication {

    /** Response header of every revoking answer: {@code published} or {@code pending}. */
    public static final String HEADER = "X-Keyledger-Relay";

    /** The header's description in the OpenAPI document. */
    public static final String HEADER_DESCRIPTION = "`published`: the change is acknowledged on the edges' event"
            + " stream (Kafka `keyledger.key-events`), the edges apply it within about a second; `pending`: it is"
            + " stored, but was not published within `keyledger.relay.publish-wait`, and will be (absent when that"
            + " setting is 0)";

    private static final Logger log = LoggerFactory.getLogger(RelayPublication.class);

    private final JdbcClient jdbc;
    private final Serializer serializer;
    private final RelayProperties properties;
    private final Timer publishedTimer;
    private final Timer pendingTimer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private long commits;
    private final ReentrantLock readLock = new ReentrantLock();
    private long lastReadStartedNanos = Long.MIN_VALUE;
    private List<TrackingToken> lastRead = List.of();

    RelayPublication(JdbcClient jdbc, Serializer serializer, RelayProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.properties = properties;
        this.publishedTimer = timer(meters, "published");
        this.pendingTimer = timer(meters, "pending");
    }

    private static Timer timer(MeterRegistry meters, String outcome) {
        return Timer.builder("keyledger.relay.publish.wait")
                .description("How long a revoking answer waited for the relay to publish its events, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** The outcome of a wait. */
    public enum Outcome {
        /** Every event waited for is acknowledged on {@code keyledger.key-events}. */
        PUBLISHED("published"),
        /** Stored, but not published within {@code publish-wait}; the relay publishes it later. */
        PENDING("pending"),
        /** {@code publish-wait} is 0: nothing was waited for. */
        NOT_WAITED(null);

        private final String header;

        Outcome(String header) {
            this.header = header;
        }

        /** The {@link #HEADER} value, or {@code null} for none. */
        public String header() {
            return header;
        }
    }

    /**
     * Waits, at most {@code publish-wait}, until the last stored event of every one of
     * {@code aggregateIds} is published, and sets {@link #HEADER} on {@code response}. Call it after
     * the command returned (its events are committed). Aggregates without events count as published.
     */
    public Outcome awaitPublished(Collection<String> aggregateIds, HttpServletResponse response) {
        Outcome outcome = awaitPublished(aggregateIds);
        if (outcome.header() != null) {
            response.setHeader(HEADER, outcome.header());
        }
        return outcome;
    }

    /** As {@link #awaitPublished(Collection, HttpServletResponse)}, without a response. */
    public Outcome awaitPublished(Collection<String> aggregateIds) {
        Duration bound = properties.publishWait();
        if (bound.isZero() || bound.isNegative()) {
            return Outcome.NOT_WAITED;
        }
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        OptionalLong target = lastGlobalIndex(aggregateIds);
        if (target.isEmpty()) {
            publishedTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return Outcome.PUBLISHED;
        }
        long index = target.getAsLong();
        long pollNanos = Math.max(
                TimeUnit.MILLISECONDS.toNanos(1),
                properties.publishPollInterval().toNanos());
        while (true) {
            long seen = commits();
            long woke = System.nanoTime();
            if (published(tokens(woke), index)) {
                publishedTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return Outcome.PUBLISHED;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                pendingTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                log.warn(
                        "event {} not published by the relay within {}; answering with {}: pending (it stays stored"
                                + " and is relayed later)",
                        index,
                        bound,
                        HEADER);
                return Outcome.PENDING;
            }
            awaitCommit(seen, Math.min(left, pollNanos));
        }
    }

    /** Called by the in-process relay after a batch and its token committed: wakes every waiter. */
    void relayCommitted() {
        lock.lock();
        try {
            commits++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long commits() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} for a local relay commit after the {@code seen}-th (none lost in between). */
    private void awaitCommit(long seen, long nanos) {
        lock.lock();
        try {
            long left = nanos;
            while (commits == seen && left > 0) {
                left = committed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the relay", e);
        } finally {
            lock.unlock();
        }
    }

    /** The highest global index among the events of these aggregates, if any has one. */
    OptionalLong lastGlobalIndex(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty()) {
            return OptionalLong.empty();
        }
        Long max = jdbc.sql("SELECT max(globalindex) FROM domainevententry WHERE aggregateidentifier = ANY(?)")
                .param(aggregateIds.toArray(String[]::new))
                .query(Long.class)
                .optional()
                .orElse(null);
        return max == null ? OptionalLong.empty() : OptionalLong.of(max);
    }

    /**
     * The relay's committed tokens, one per segment, read at or after {@code notBeforeNanos}: a read
     * that started after that moment is reused rather than repeated.
     */
    private List<TrackingToken> tokens(long notBeforeNanos) {
        readLock.lock();
        try {
            if (lastReadStartedNanos != Long.MIN_VALUE && lastReadStartedNanos - notBeforeNanos >= 0) {
                return lastRead;
            }
            long started = System.nanoTime();
            List<TrackingToken> read = readTokens();
            lastReadStartedNanos = started;
            lastRead = read;
            return read;
        } finally {
            readLock.unlock();
        }
    }

    /** Every segment's token of the relay; a segment without a token yet is {@code null}. */
    List<TrackingToken> readTokens() {
        return jdbc.sql("SELECT token, tokentype FROM tokenentry WHERE processorname = ? ORDER BY segment")
                .param(KafkaRelay.PROCESSOR)
                .query((row, n) -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("tokentype");
                    if (token == null || type == null) {
                        return (TrackingToken) null;
                    }
                    return (TrackingToken)
                            serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
                })
                .list();
    }

    /** Whether every segment's token has passed {@code index}: at or above it, and not a gap. */
    static boolean published(List<TrackingToken> tokens, long index) {
        if (tokens.isEmpty()) {
            return false;
        }
        for (TrackingToken token : tokens) {
            if (!passed(token, index)) {
                return false;
            }
        }
        return true;
    }

    private static boolean passed(TrackingToken token, long index) {
        if (token == null) {
            return false;
        }
        TrackingToken lower = WrappedToken.unwrapLowerBound(token);
        if (lower instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= index && !gapAware.getGaps().contains(index);
        }
        OptionalLong position = lower == null ? OptionalLong.empty() : lower.position();
        return position.isPresent() && position.getAsLong() >= index;
    }
}
