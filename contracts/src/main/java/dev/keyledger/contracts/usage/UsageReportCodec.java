package dev.keyledger.contracts.usage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link UsageReport}, big-endian:
 *
 * <pre>
 * 'K' 'U' version(1) flags(0)
 * u16 instance length, instance (UTF-8)
 * i64 sequence, i64 spoolFrom, i64 spoolTo
 * i32 row count, then per row:
 *   u16 key id length, key id, u16 organization id length, organization id (UTF-8)
 *   i64 minute (epoch seconds), i32 accepted, i32 rate limited, i32 forbidden, i32 unavailable,
 *   i64 last accepted (epoch ms, 0 = none), i64 last (epoch ms)
 * </pre>
 *
 * {@link #decode} refuses anything else (a wrong magic or version, a truncated or overlong value,
 * a negative count, a minute that is not a multiple of 60) with an {@link IllegalArgumentException}.
 */
public final class UsageReportCodec {

    /** Rows per report: a full report stays far below Kafka's default 1 MB record limit. */
    public static final int MAX_ROWS = 4_000;

    public static final int MAX_ID_LENGTH = 128;

    /**
     * The last second a row's times may name, 9999-12-31T23:59:59Z. A time far beyond it (or a
     * negative one) fails the usage projection's conversions and PostgreSQL's timestamp arithmetic,
     * hence every retry of the poll that holds it, stalling metering for every tenant; and a time
     * past year 9999 does not print as an ISO-8601 instant of four-digit years.
     */
    public static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private static final byte MAGIC_0 = 'K';
    private static final byte MAGIC_1 = 'U';
    private static final byte VERSION = 1;
    private static final int ROW_FIXED = 2 + 2 + 8 + 4 * 4 + 8 + 8;

    private UsageReportCodec() {}

    public static byte[] encode(UsageReport report) {
        if (report.rows().size() > MAX_ROWS) {
            throw new IllegalArgumentException("more than " + MAX_ROWS + " rows");
        }
        byte[] instance = utf8(report.edgeInstance());
        int size = 4 + 2 + instance.length + 24 + 4;
        List<byte[]> ids = new ArrayList<>(report.rows().size() * 2);
        for (UsageCount row : report.rows()) {
            byte[] key = utf8(row.keyId());
            byte[] org = utf8(row.organizationId());
            ids.add(key);
            ids.add(org);
            size += ROW_FIXED + key.length + org.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC_0).put(MAGIC_1).put(VERSION).put((byte) 0);
        out.putShort((short) instance.length).put(instance);
        out.putLong(report.sequence()).putLong(report.spoolFrom()).putLong(report.spoolTo());
        out.putInt(report.rows().size());
        int i = 0;
        for (UsageCount row : report.rows()) {
            byte[] key = ids.get(i++);
            byte[] org = ids.get(i++);
            out.putShort((short) key.length).put(key);
            out.putShort((short) org.length).put(org);
            out.putLong(row.minute());
            out.putInt(row.accepted())
                    .putInt(row.rateLimited())
                    .putInt(row.forbidden())
                    .putInt(row.unavailable());
            out.putLong(row.lastAcceptedMillis()).putLong(row.lastMillis());
        }
        return out.array();
    }

    public static UsageReport decode(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            if (in.get() != MAGIC_0 || in.get() != MAGIC_1) {
                throw new IllegalArgumentException("not a usage report");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown usage report version " + version);
            }
            in.get();
            String instance = string(in);
            if (instance.isEmpty()) {
                throw new IllegalArgumentException("no edge instance");
            }
            long sequence = in.getLong();
            long from = in.getLong();
            long to = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > MAX_ROWS) {
                throw new IllegalArgumentException("bad row count " + count);
            }
            List<UsageCount> rows = new ArrayList<>(count);
            for (int r = 0; r < count; r++) {
                String key = string(in);
                String org = string(in);
                long minute = in.getLong();
                int accepted = in.getInt();
                int rateLimited = in.getInt();
                int forbidden = in.getInt();
                int unavailable = in.getInt();
                long lastAccepted = in.getLong();
                long last = in.getLong();
                if (key.isEmpty()
                        || org.isEmpty()
                        || Math.floorMod(minute, 60) != 0
                        || minute < 0
                        || minute > MAX_EPOCH_SECOND
                        || lastAccepted < 0
                        || lastAccepted / 1000 > MAX_EPOCH_SECOND
                        || last < 0
                        || last / 1000 > MAX_EPOCH_SECOND) {
                    throw new IllegalArgumentException("bad row " + r);
                }
                if ((accepted | rateLimited | forbidden | unavailable) < 0
                        || (long) accepted + rateLimited + forbidden + unavailable == 0) {
                    throw new IllegalArgumentException("bad counts in row " + r);
                }
                if (accepted > 0 && lastAccepted <= 0) {
                    throw new IllegalArgumentException("accepted row " + r + " without a time");
                }
                rows.add(new UsageCount(
                        key, org, minute, accepted, rateLimited, forbidden, unavailable, lastAccepted, last));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new UsageReport(instance, sequence, from, to, rows);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated usage report", e);
        }
    }

    private static String string(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id too long");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        for (byte b : bytes) {
            // PostgreSQL stores no NUL in text, and the projection joins instance and partition with
            // one: a control character would fail every retry of the poll that holds it.
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                throw new IllegalArgumentException("control character in an id");
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id empty or longer than " + MAX_ID_LENGTH + " bytes");
        }
        return bytes;
    }
}
