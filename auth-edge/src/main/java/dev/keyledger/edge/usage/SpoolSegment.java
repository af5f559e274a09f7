package dev.keyledger.edge.usage;

import dev.keyledger.contracts.usage.UsageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file of the usage spool, memory-mapped: a header, a dictionary of the (key id, organization
 * id) pairs its records name, and fixed {@value #RECORD_BYTES}-byte records, one per answered
 * request. A store into the mapping is in the kernel's page cache at once, so it survives a
 * SIGKILL of the process (not a power loss: {@link #force} covers that).
 *
 * <pre>
 * header (4096 B): i64 magic, i64 segment number, i32 dictionary capacity, i32 record capacity
 * dictionary entry (8-byte aligned): i32 marker, u16 key length, u16 organization length, bytes
 * record (16 B): i64 epoch millis, i32 dictionary ref, i32 commit word
 * </pre>
 *
 * The commit word (and a dictionary entry's marker) is written last with release semantics; a
 * reader that sees it non-zero sees the rest. It carries a tag, the outcome and a 16-bit check of
 * the other fields, so a torn record (the process died between claiming a slot and committing it)
 * reads as empty and garbage after a power loss fails the check. Native byte order: a spool is
 * read only by the edge that wrote it, on the same machine.
 */
final class SpoolSegment implements AutoCloseable {

    static final int RECORD_BYTES = 16;
    static final int HEADER_BYTES = 4096;
    static final long MAGIC = 0x4b4c53504f4f4c31L; // "KLSPOOL1"
    private static final int ENTRY_TAG = 0x4b440000;
    private static final int COMMIT_TAG = 0x5a000000;
    /** Claims at or past this value mean "sealed"; far above any record capacity. */
    private static final long SEALED = 1L << 40;

    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    final long number;
    final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    final int dictionaryCapacity;
    final int recordCapacity;
    private final int recordsOffset;

    /** Written by this process (false: found at start, sealed, read with torn slots skipped). */
    final boolean live;

    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger dictionaryUsed = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> refs = new ConcurrentHashMap<>();
    /** Records that may have been claimed: the claim count once sealed, -1 before. */
    private volatile int sealedCount = -1;

    private SpoolSegment(
            long number, Path file, FileChannel channel, MappedByteBuffer map, int dictionaryCapacity, boolean live) {
        this.number = number;
        this.file = file;
        this.channel = channel;
        this.map = map;
        this.dictionaryCapacity = dictionaryCapacity;
        this.recordsOffset = HEADER_BYTES + dictionaryCapacity;
        this.recordCapacity = (map.capacity() - recordsOffset) / RECORD_BYTES;
        this.live = live;
        map.order(ByteOrder.nativeOrder());
    }

    static Path fileName(Path dir, long number) {
        return dir.resolve(String.format("segment-%016d.spool", number));
    }

    /** Maps a preallocated file of {@code bytes} (zeros) as a new segment of this process. */
    static SpoolSegment map(Path file, long number, int bytes) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
            map.order(ByteOrder.nativeOrder());
            int dictionary = (bytes / 4 - HEADER_BYTES) & ~7;
            SpoolSegment segment = new SpoolSegment(number, file, channel, map, dictionary, true);
            map.putLong(8, number);
            map.putInt(16, dictionary);
            map.putInt(20, segment.recordCapacity);
            map.putLong(0, MAGIC);
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map usage spool segment " + file, e);
        }
    }

    /**
     * Opens a segment left by an earlier process: sealed, records found by scanning (a slot that
     * never committed reads as empty and is skipped). Null when the file is not a segment (its
     * header never reached the page cache).
     */
    static SpoolSegment recover(Path file, long number) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = channel.size();
            if (size < HEADER_BYTES * 2L || size > Integer.MAX_VALUE) {
                channel.close();
                return null;
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.nativeOrder());
            int dictionary = map.getInt(16);
            if (map.getLong(0) != MAGIC
                    || map.getLong(8) != number
                    || dictionary <= 0
                    || dictionary >= size - HEADER_BYTES) {
                channel.close();
                return null;
            }
            SpoolSegment segment = new SpoolSegment(number, file, channel, map, dictionary, false);
            segment.sealedCount = segment.recordCapacity;
            segment.claims.set(SEALED);
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open usage spool segment " + file, e);
        }
    }

    // ---- writing (request threads) ----

    /**
     * Appends one record; false when the segment has no room left (sealed, or its dictionary or
     * records are full): the caller rotates and tries the next segment.
     */
    boolean append(String keyId, String organizationId, UsageOutcome outcome, long millis) {
        Integer ref = refs.get(keyId);
        if (ref == null) {
            ref = define(keyId, organizationId);
            if (ref == null) {
                return false;
            }
        }
        long slot = claims.getAndIncrement();
        if (slot >= recordCapacity) {
            return false;
        }
        int at = recordsOffset + (int) slot * RECORD_BYTES;
        map.putLong(at, millis);
        map.putInt(at + 8, ref);
        INTS.setRelease(map, at + 12, commitWord(millis, ref, outcome));
        return true;
    }

    private Integer define(String keyId, String organizationId) {
        if (sealedCount >= 0) {
            return null;
        }
        return refs.computeIfAbsent(keyId, id -> {
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            byte[] org = organizationId.getBytes(StandardCharsets.UTF_8);
            if (key.length > 0xFFFF || org.length > 0xFFFF) {
                throw new IllegalArgumentException("id too long for the usage spool");
            }
            int length = (8 + key.length + org.length + 7) & ~7;
            int offset = dictionaryUsed.getAndAdd(length);
            if (offset < 0 || offset + length > dictionaryCapacity) {
                return null; // not cached: the segment is full, the caller rotates
            }
            int at = HEADER_BYTES + offset;
            map.putShort(at + 4, (short) key.length);
            map.putShort(at + 6, (short) org.length);
            map.put(at + 8, key);
            map.put(at + 8 + key.length, org);
            INTS.setRelease(map, at, ENTRY_TAG | (length >>> 3));
            return offset >>> 3;
        });
    }

    /** Stops further claims; returns how many records were claimed before (all of them will commit). */
    int seal() {
        long before = claims.getAndSet(SEALED);
        int count = (int) Math.min(before, recordCapacity);
        if (before >= SEALED) {
            return sealedCount;
        }
        sealedCount = count;
        return count;
    }

    /** A recovered segment ends after {@code count} slots (its last committed one). */
    void trim(int count) {
        sealedCount = Math.min(count, recordCapacity);
    }

    boolean sealed() {
        return sealedCount >= 0;
    }

    // ---- reading (the sender thread) ----

    /** Slots that may hold records: the sealed count, or the claims so far. */
    int claimed() {
        int sealed = sealedCount;
        return sealed >= 0 ? sealed : (int) Math.min(claims.get(), recordCapacity);
    }

    /** The record's commit word: 0 when the slot is empty or torn, else tag, outcome and check. */
    int commit(int slot) {
        return (int) INTS.getAcquire(map, recordsOffset + slot * RECORD_BYTES + 12);
    }

    long millis(int slot) {
        return map.getLong(recordsOffset + slot * RECORD_BYTES);
    }

    int ref(int slot) {
        return map.getInt(recordsOffset + slot * RECORD_BYTES + 8);
    }

    /** True when the committed word matches the record's other fields. */
    boolean valid(int slot, int commit) {
        if ((commit & 0xff000000) != COMMIT_TAG) {
            return false;
        }
        int outcome = (commit >>> 16) & 0xff;
        if (outcome >= OUTCOMES.length) {
            return false;
        }
        return commit == commitWord(millis(slot), ref(slot), OUTCOMES[outcome]);
    }

    static UsageOutcome outcome(int commit) {
        return OUTCOMES[(commit >>> 16) & 0xff];
    }

    private static final UsageOutcome[] OUTCOMES = UsageOutcome.values();

    /** The (key id, organization id) of a dictionary ref, or null when the entry is not there. */
    String[] entry(int ref) {
        long offset = (long) ref << 3;
        if (ref < 0 || offset + 8 > dictionaryCapacity) {
            return null;
        }
        int at = HEADER_BYTES + (int) offset;
        int marker = (int) INTS.getAcquire(map, at);
        if ((marker & 0xffff0000) != ENTRY_TAG) {
            return null;
        }
        int length = (marker & 0xffff) << 3;
        int keyLength = Short.toUnsignedInt(map.getShort(at + 4));
        int orgLength = Short.toUnsignedInt(map.getShort(at + 6));
        if (keyLength == 0
                || orgLength == 0
                || 8 + keyLength + orgLength > length
                || offset + length > dictionaryCapacity) {
            return null;
        }
        byte[] key = new byte[keyLength];
        byte[] org = new byte[orgLength];
        map.get(at + 8, key);
        map.get(at + 8 + keyLength, org);
        return new String[] {new String(key, StandardCharsets.UTF_8), new String(org, StandardCharsets.UTF_8)};
    }

    /** Flushes the mapping's dirty pages to the disk (msync); what a power loss needs. */
    void force() {
        map.force();
    }

    /** Distinct keys defined in this segment by this process. */
    Set<String> keys() {
        return refs.keySet();
    }

    private static int commitWord(long millis, int ref, UsageOutcome outcome) {
        long mix = (millis * 0x9E3779B97F4A7C15L) ^ ((long) ref * 0xC2B2AE3D27D4EB4FL) ^ outcome.ordinal();
        int check = (int) (mix ^ (mix >>> 29) ^ (mix >>> 47)) & 0xffff;
        return COMMIT_TAG | (outcome.ordinal() << 16) | check;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a mapped file fails only when it is gone already
        }
    }

    /** Closes and deletes the file. */
    void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete usage spool segment " + file, e);
        }
    }
}
