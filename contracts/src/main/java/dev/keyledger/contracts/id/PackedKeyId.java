package dev.keyledger.contracts.id;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key id ({@code key_} and a ULID in canonical Crockford base32, {@link Ids}) as the two longs of
 * its 128 bits, for code that holds many ids or looks them up on a hot path: a 30-character
 * {@link String} and its array cost 72 bytes, this record 32 and its two fields, inlined into
 * another object, 16. {@link #toString()} gives the id's text back exactly as it came in. An id in
 * any other form (not a ULID, lower case, another prefix) has no packed form: {@link #of} returns
 * {@code null} and callers keep its text.
 *
 * @param high the first 64 of the ULID's 128 bits
 * @param low the last 64 bits (all random, so {@link #hashCode()} uses them alone)
 */
public record PackedKeyId(long high, long low) {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final byte[] DIGITS = ALPHABET.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUES = new byte[128];
    private static final int PREFIX_LENGTH = Ids.KEY_PREFIX.length();
    private static final int ULID_LENGTH = 26;

    /** Length of a key id's text. */
    public static final int LENGTH = PREFIX_LENGTH + ULID_LENGTH;

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    /** The packed form of {@code id}, or {@code null} when it is not a canonical key id. */
    public static PackedKeyId of(String id) {
        long[] packed = new long[2];
        return pack(id, packed) ? new PackedKeyId(packed[0], packed[1]) : null;
    }

    /**
     * A value that identifies the key {@code id} in a map: its packed form when it has one, else the
     * text itself. Equal for equal ids, whichever form a caller started from.
     */
    public static Object identity(String id) {
        PackedKeyId packed = of(id);
        return packed != null ? packed : id;
    }

    /**
     * Packs {@code id} into {@code out[0]} (high) and {@code out[1]} (low); false, with {@code out}
     * unspecified, when the id is not in the canonical form that {@link #render} gives back.
     */
    public static boolean pack(String id, long[] out) {
        if (id == null || id.length() != LENGTH || !id.startsWith(Ids.KEY_PREFIX)) {
            return false;
        }
        long high = 0;
        long low = 0;
        for (int i = PREFIX_LENGTH; i < LENGTH; i++) {
            char c = id.charAt(i);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0 || (i == PREFIX_LENGTH && value > 7)) {
                return false; // the first digit holds only the top 3 of the 128 bits
            }
            high = (high << 5) | (low >>> 59);
            low = (low << 5) | value;
        }
        out[0] = high;
        out[1] = low;
        return true;
    }

    /** The id's text: {@code key_} and 26 base32 digits, most significant first. */
    public static String render(long high, long low) {
        byte[] text = new byte[LENGTH];
        text[0] = 'k';
        text[1] = 'e';
        text[2] = 'y';
        text[3] = '_';
        for (int i = 0; i < ULID_LENGTH; i++) {
            int shift = 125 - 5 * i;
            long digit;
            if (shift >= 64) {
                digit = high >>> (shift - 64);
            } else if (shift > 59) {
                digit = (high << (64 - shift)) | (low >>> shift);
            } else {
                digit = low >>> shift;
            }
            text[PREFIX_LENGTH + i] = DIGITS[(int) (digit & 31)];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** True when {@code id} is the id packed as {@code high}, {@code low}; renders nothing. */
    public static boolean matches(String id, long high, long low) {
        long[] packed = new long[2];
        return pack(id, packed) && packed[0] == high && packed[1] == low;
    }

    /** The id's text. */
    @Override
    public String toString() {
        return render(high, low);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PackedKeyId packed && packed.high == high && packed.low == low;
    }
}
