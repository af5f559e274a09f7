package dev.keyledger.edge.usage;

import dev.keyledger.contracts.usage.UsageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's append-only usage spool: a directory of memory-mapped {@link SpoolSegment}s and a
 * {@link SpoolControl} file, locked by one process. Request threads {@link #append} one record per
 * answered request (a few stores into the page cache, no system call, no lock); the sender thread
 * {@link #read}s what is complete, has it acknowledged by the broker, and {@link #release}s the
 * segments it has passed.
 *
 * <p>Disk is bounded by {@code maxBytes}: segments are preallocated (zeros written, so a full disk
 * shows as a failed preallocation on the sender thread, never as a fault on a request thread), one
 * standby ahead of the current one. When the current segment is full and no standby could be
 * prepared within the bound, {@link #append} returns false until the sender releases space.
 *
 * <p>At start every segment left by an earlier process is opened sealed and read from the
 * committed position with torn slots (claimed, never committed: the process died before it
 * answered that request) skipped; new records go to a new segment.
 */
final class UsageSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageSpool.class);
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{16})\\.spool");
    /** A recovered segment's records end after this many empty slots in a row (far more than writer threads). */
    private static final int EMPTY_RUN = 4096;

    /** What {@link #read} hands over, one record at a time, in spool order. */
    interface Visitor {
        void record(SpoolSegment segment, int ref, UsageOutcome outcome, long millis);
    }

    /** Counts from {@link #read}: records handed over, and slots skipped as torn or corrupt. */
    static final class ReadStats {
        long records;
        long skipped;
    }

    private final Path dir;
    private final int segmentBytes;
    private final long maxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SpoolControl control;

    private final Object rotation = new Object();
    private volatile List<SpoolSegment> segments;
    private volatile SpoolSegment current;
    private volatile SpoolSegment standby;
    private final long recoveredRecords;

    private UsageSpool(Path dir, int segmentBytes, long maxBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            lockChannel =
                    FileChannel.open(dir.resolve("spool.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                lockChannel.close();
                throw new IllegalStateException("another edge process uses the usage spool in " + dir
                        + " (keyledger.usage.spool.dir must be one directory per edge)");
            }
            lock = acquired;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage spool in " + dir, e);
        }
        control = SpoolControl.open(dir);
        List<SpoolSegment> found = recover();
        long recovered = 0;
        long committed = control.committed();
        for (SpoolSegment segment : found) {
            int start = segment.number == SpoolPosition.segment(committed) ? SpoolPosition.slot(committed) : 0;
            recovered += Math.max(0, segment.claimed() - start);
        }
        recoveredRecords = recovered;
        long next = control.nextSegment();
        for (SpoolSegment segment : found) {
            next = Math.max(next, segment.number + 1);
        }
        SpoolSegment first = preallocate(next);
        if (first == null) {
            throw new IllegalStateException("cannot preallocate a usage spool segment in " + dir);
        }
        control.nextSegment(next + 1);
        List<SpoolSegment> all = new ArrayList<>(found);
        all.add(first);
        segments = List.copyOf(all);
        current = first;
        if (SpoolPosition.segment(committed) < all.get(0).number) {
            control.skip(SpoolPosition.of(all.get(0).number, 0));
        }
        // The first standby is ready before any request can append: otherwise the first segment
        // filling before the sender thread has started (it builds a Kafka producer first) would
        // refuse requests although the bound has room, and un-refuse them moments later.
        prepareStandby();
    }

    /** Opens (creating) the spool in {@code dir}; fails when another process holds it. */
    static UsageSpool open(Path dir, int segmentBytes, long maxBytes) {
        if (segmentBytes < 64 * 1024) {
            throw new IllegalArgumentException("keyledger.usage.spool.segment-size must be at least 64KB");
        }
        if (maxBytes < 2L * segmentBytes) {
            throw new IllegalArgumentException(
                    "keyledger.usage.spool.max-size must hold at least two segments (segment-size)");
        }
        return new UsageSpool(dir, segmentBytes, maxBytes);
    }

    private List<SpoolSegment> recover() {
        List<SpoolSegment> found = new ArrayList<>();
        long committed = control.committed();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                Matcher matcher = SEGMENT.matcher(file.getFileName().toString());
                if (!matcher.matches()) {
                    continue;
                }
                long number = Long.parseLong(matcher.group(1));
                if (number < SpoolPosition.segment(committed)) {
                    Files.deleteIfExists(file); // acknowledged before the restart
                    continue;
                }
                SpoolSegment segment = SpoolSegment.recover(file, number);
                if (segment == null) {
                    LOG.warn("Deleting {}: not a usage spool segment (created but never written)", file);
                    Files.deleteIfExists(file);
                    continue;
                }
                segment.seal();
                found.add(segment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the usage spool in " + dir, e);
        }
        for (SpoolSegment segment : found) {
            trimRecovered(segment);
        }
        return found;
    }

    /** A recovered segment's end: after its last committed slot (a long run of empty slots ends it). */
    private static void trimRecovered(SpoolSegment segment) {
        int last = -1;
        int empty = 0;
        for (int slot = 0; slot < segment.recordCapacity && empty < EMPTY_RUN; slot++) {
            if (segment.commit(slot) != 0) {
                last = slot;
                empty = 0;
            } else {
                empty++;
            }
        }
        segment.trim(last + 1);
    }

    /** A new segment with its space written (zeros), or null when the disk or the bound refuses it. */
    private SpoolSegment preallocate(long number) {
        Path file = SpoolSegment.fileName(dir, number);
        try {
            Files.deleteIfExists(file);
            try (FileChannel channel =
                    FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
                long written = 0;
                while (written < segmentBytes) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), segmentBytes - written));
                    written += channel.write(zeros, written);
                }
                channel.force(true);
            }
            return SpoolSegment.map(file, number, segmentBytes);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("Cannot preallocate usage spool segment {}", file, e);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next attempt deletes it
            }
            return null;
        }
    }

    // ---- request threads ----

    /** Appends one record; false when the spool is full (the caller's failure policy decides). */
    boolean append(String keyId, String organizationId, UsageOutcome outcome, long millis) {
        for (int attempt = 0; attempt < 4; attempt++) {
            SpoolSegment segment = current;
            if (segment.append(keyId, organizationId, outcome, millis)) {
                return true;
            }
            if (!rotate(segment)) {
                return false;
            }
        }
        return false;
    }

    /** Seals {@code full} and makes the standby current; false when there is no standby. */
    private boolean rotate(SpoolSegment full) {
        synchronized (rotation) {
            if (current != full) {
                return true;
            }
            full.seal();
            SpoolSegment next = standby;
            if (next == null) {
                return false;
            }
            standby = null;
            List<SpoolSegment> all = new ArrayList<>(segments);
            all.add(next);
            segments = List.copyOf(all);
            current = next;
            return true;
        }
    }

    // ---- the sender thread ----

    /** Prepares the standby segment if there is none and the bound allows one. */
    void prepareStandby() {
        if (standby != null || (long) (segments.size() + 1) * segmentBytes > maxBytes) {
            return;
        }
        long number = control.nextSegment();
        SpoolSegment prepared = preallocate(number);
        if (prepared == null) {
            return;
        }
        control.nextSegment(number + 1);
        synchronized (rotation) {
            standby = prepared;
            if (current.sealed()) {
                // Requests were refused while there was no room: resume at once.
                rotate(current);
            }
        }
    }

    String instance() {
        return control.instance();
    }

    SpoolControl control() {
        return control;
    }

    /**
     * Hands every complete record from {@code from} (inclusive) to {@code until} (exclusive) or,
     * for {@code Long.MAX_VALUE}, to the end of what is complete now, at most {@code maxRecords}
     * of them, and returns the position after the last slot read (the start of the next segment
     * when a sealed segment was read to its end). In a segment of this process, a claimed slot
     * not yet committed ends the read (its writer is about to commit it); in a recovered segment
     * it is torn and skipped.
     */
    long read(long from, long until, long maxRecords, Visitor visitor, ReadStats stats) {
        long position = from;
        for (SpoolSegment segment : segments) {
            if (segment.number < SpoolPosition.segment(position)) {
                continue;
            }
            if (segment.number > SpoolPosition.segment(position)) {
                position = SpoolPosition.of(segment.number, 0);
            }
            if (Long.compareUnsigned(position, until) >= 0) {
                return position;
            }
            int slot = SpoolPosition.slot(position);
            int end = segment.claimed();
            boolean sealed = segment.sealed();
            if (SpoolPosition.segment(until) == segment.number) {
                end = Math.min(end, SpoolPosition.slot(until));
                sealed = false;
            }
            while (slot < end) {
                if (stats.records >= maxRecords) {
                    return SpoolPosition.of(segment.number, slot);
                }
                int commit = segment.commit(slot);
                if (commit == 0) {
                    if (segment.live) {
                        return SpoolPosition.of(segment.number, slot);
                    }
                    stats.skipped++;
                } else if (!segment.valid(slot, commit)) {
                    stats.skipped++;
                } else {
                    visitor.record(segment, segment.ref(slot), SpoolSegment.outcome(commit), segment.millis(slot));
                    stats.records++;
                }
                slot++;
            }
            position = SpoolPosition.of(segment.number, slot);
            if (!sealed || slot < segment.claimed()) {
                return position;
            }
            // sealed and read to its end: go on with the next segment, if there is one
        }
        return position;
    }

    /** The epoch millis of the first complete record at or after {@code from}, or 0 when none. */
    long firstMillis(long from) {
        long[] found = {0};
        read(from, Long.MAX_VALUE, 1, (segment, ref, outcome, millis) -> found[0] = millis, new ReadStats());
        return found[0];
    }

    /** Flushes the dirty pages of every segment to the disk. */
    void force() {
        for (SpoolSegment segment : segments) {
            segment.force();
        }
    }

    /** Deletes every segment entirely before {@code committed}. */
    void release(long committed) {
        long keepFrom = SpoolPosition.segment(committed);
        synchronized (rotation) {
            List<SpoolSegment> kept = new ArrayList<>();
            for (SpoolSegment segment : segments) {
                if (segment.number < keepFrom && segment != current) {
                    segment.delete();
                } else {
                    kept.add(segment);
                }
            }
            segments = List.copyOf(kept);
        }
    }

    /** Records appended and not yet released past {@code committed} (torn slots included). */
    long pendingRecords(long committed) {
        long pending = 0;
        for (SpoolSegment segment : segments) {
            if (segment.number < SpoolPosition.segment(committed)) {
                continue;
            }
            int start = segment.number == SpoolPosition.segment(committed) ? SpoolPosition.slot(committed) : 0;
            pending += Math.max(0, segment.claimed() - start);
        }
        return pending;
    }

    /** Bytes of segment files on disk, the standby included. */
    long diskBytes() {
        return (long) (segments.size() + (standby != null ? 1 : 0)) * segmentBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Records found after the committed position in segments left by the previous process. */
    long recoveredRecords() {
        return recoveredRecords;
    }

    /** True while the current segment is sealed and no standby is ready: appends fail. */
    boolean full() {
        return current.sealed();
    }

    @Override
    public void close() {
        synchronized (rotation) {
            for (SpoolSegment segment : segments) {
                segment.close();
            }
            if (standby != null) {
                standby.close();
            }
        }
        control.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
