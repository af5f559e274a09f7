package dev.keyledger.edge.keys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a presented key straight into four longs, the form the table stores, and the parse of
 * the hex record keys of the changelog into the same form. A thread-local digest with its input
 * and output buffers keeps the request path free of allocation.
 */
public final class KeyHashes {

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * A SHA-256 digest with its output buffer, for one thread: the request path keeps one in its own
     * per-thread state (one thread-local lookup per request for all its buffers).
     */
    public static final class Sha256 {
        private final MessageDigest digest = newDigest();
        private final byte[] output = new byte[32];

        /** Hashes the first {@code length} bytes of {@code bytes} into {@code out}. */
        public void hash(byte[] bytes, int length, long[] out) {
            digest.reset(); // free when the last digest() already did; a failed update leaves nothing behind
            digest.update(bytes, 0, length);
            byte[] hash = output;
            try {
                digest.digest(hash, 0, hash.length);
            } catch (DigestException impossible) {
                throw new IllegalStateException("a 32-byte buffer holds a SHA-256 digest", impossible);
            }
            for (int i = 0; i < 4; i++) {
                out[i] = (long) BIG_ENDIAN_LONG.get(hash, i * 8);
            }
        }
    }

    /** One thread's digest and input buffer for the static methods. */
    private static final class Buffers {
        final Sha256 sha256 = new Sha256();
        final byte[] input = new byte[128];
    }

    private KeyHashes() {}

    /** Hashes an ASCII key (the format check has already run) into {@code out}. */
    public static void sha256(CharSequence key, long[] out) {
        Buffers buffers = BUFFERS.get();
        byte[] buffer = buffers.input;
        int length = key.length();
        if (length > buffer.length) {
            buffer = new byte[length];
        }
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) key.charAt(i);
        }
        buffers.sha256.hash(buffer, length, out);
    }

    /** Hashes the first {@code length} bytes of {@code bytes} into {@code out}. */
    public static void sha256(byte[] bytes, int length, long[] out) {
        BUFFERS.get().sha256.hash(bytes, length, out);
    }

    /** Parses 64 hex characters into four longs; {@code false} when the text is not such a hash. */
    public static boolean parseHex(String hex, long[] out) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int word = 0; word < 4; word++) {
            long value = 0;
            for (int i = word * 16; i < word * 16 + 16; i++) {
                int digit = Character.digit(hex.charAt(i), 16);
                if (digit < 0) {
                    return false;
                }
                value = (value << 4) | digit;
            }
            out[word] = value;
        }
        return true;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
