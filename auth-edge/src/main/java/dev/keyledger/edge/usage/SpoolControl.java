package dev.keyledger.edge.usage;

import dev.keyledger.contracts.id.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The spool's small control file ({@code spool.ctl}, one page, memory-mapped): the edge instance
 * id, the position up to which the broker acknowledged every report, the next report sequence,
 * and the report batch in flight ("intent"). Every field is one aligned 8-byte store, so a SIGKILL
 * leaves each either old or new, and the order of the stores makes any mix safe:
 *
 * <ol>
 *   <li>intent: from, to, partitions, first sequence, count; then the pending flag;
 *   <li>after every acknowledgement: committed position, next sequence; then the flag cleared.
 * </ol>
 *
 * A start that finds the flag set sends the intent's reports again, exactly as they were (same
 * spool range, partition count and sequences; the query-service skips those it already applied),
 * then commits. A start that finds it clear ignores the intent fields and reads from the committed
 * position.
 */
final class SpoolControl implements AutoCloseable {

    private static final long MAGIC = 0x4b4c43544c303031L; // "KLCTL001"
    private static final int SIZE = 4096;
    private static final int INSTANCE = 16; // 48 bytes, NUL padded
    private static final int COMMITTED = 64;
    private static final int NEXT_SEQUENCE = 72;
    private static final int NEXT_SEGMENT = 80;
    private static final int PENDING = 96;
    private static final int PENDING_FROM = 104;
    private static final int PENDING_TO = 112;
    private static final int PENDING_PARTITIONS = 120;
    private static final int PENDING_FIRST = 128;
    private static final int PENDING_COUNT = 136;

    /** A batch of reports that may have been sent but was not known to be acknowledged. */
    record Intent(long from, long to, int partitions, long firstSequence, long count) {}

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final String instance;

    private SpoolControl(FileChannel channel, MappedByteBuffer map, String instance) {
        this.channel = channel;
        this.map = map;
        this.instance = instance;
    }

    /** Opens {@code spool.ctl} in {@code dir}, creating it (with a new instance id) when absent or never completed. */
    static SpoolControl open(Path dir) {
        Path file = dir.resolve("spool.ctl");
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            map.order(ByteOrder.nativeOrder());
            if (map.getLong(0) != MAGIC) {
                // New (or its first page never got written): a fresh instance, so nothing it sends
                // can be mistaken for an earlier spool's reports.
                String id = "edge_" + Ids.ulid();
                byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
                map.put(INSTANCE, bytes);
                map.putLong(COMMITTED, SpoolPosition.of(1, 0));
                map.putLong(NEXT_SEQUENCE, 1);
                map.putLong(NEXT_SEGMENT, 1);
                map.putLong(PENDING, 0);
                map.putLong(0, MAGIC);
                map.force();
            }
            byte[] raw = new byte[48];
            map.get(INSTANCE, raw);
            int length = 0;
            while (length < raw.length && raw[length] != 0) {
                length++;
            }
            return new SpoolControl(channel, map, new String(raw, 0, length, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage spool control file " + file, e);
        }
    }

    String instance() {
        return instance;
    }

    long committed() {
        return map.getLong(COMMITTED);
    }

    long nextSequence() {
        return map.getLong(NEXT_SEQUENCE);
    }

    long nextSegment() {
        return map.getLong(NEXT_SEGMENT);
    }

    void nextSegment(long number) {
        map.putLong(NEXT_SEGMENT, number);
    }

    /** The intent in flight, or null. */
    Intent pending() {
        if (map.getLong(PENDING) == 0) {
            return null;
        }
        return new Intent(
                map.getLong(PENDING_FROM),
                map.getLong(PENDING_TO),
                (int) map.getLong(PENDING_PARTITIONS),
                map.getLong(PENDING_FIRST),
                map.getLong(PENDING_COUNT));
    }

    /** Records the intent before any of its reports is sent. */
    void begin(Intent intent, boolean fsync) {
        map.putLong(PENDING_FROM, intent.from());
        map.putLong(PENDING_TO, intent.to());
        map.putLong(PENDING_PARTITIONS, intent.partitions());
        map.putLong(PENDING_FIRST, intent.firstSequence());
        map.putLong(PENDING_COUNT, intent.count());
        map.putLong(PENDING, 1);
        if (fsync) {
            map.force();
        }
    }

    /** Every report of the intent was acknowledged: moves the committed position past it. */
    void commit(Intent intent, boolean fsync) {
        map.putLong(COMMITTED, intent.to());
        map.putLong(NEXT_SEQUENCE, intent.firstSequence() + intent.count());
        map.putLong(PENDING, 0);
        if (fsync) {
            map.force();
        }
    }

    /** Moves the committed position over records that need no report (nothing but torn slots). */
    void skip(long to) {
        map.putLong(COMMITTED, to);
    }

    void force() {
        map.force();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
