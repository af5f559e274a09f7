package dev.keyledger.edge.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a presented key straight into four longs, the form the table stores, and the parse of
 * the hex record keys of the changelog into the same form. A thread-local digest and buffer keep
 * the request path free of allocation apart from the digest's output.
 */
public final class KeyHashes {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(KeyHashes::newDigest);
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[128]);

    private KeyHashes() {}

    /** Hashes an ASCII key (the format check has already run) into {@code out}. */
    public static void sha256(CharSequence key, long[] out) {
        byte[] buffer = BUFFER.get();
        int length = key.length();
        if (length > buffer.length) {
            buffer = new byte[length];
        }
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) key.charAt(i);
        }
        sha256(buffer, length, out);
    }

    /** Hashes the first {@code length} bytes of {@code bytes} into {@code out}. */
    public static void sha256(byte[] bytes, int length, long[] out) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        digest.update(bytes, 0, length);
        byte[] hash = digest.digest();
        for (int i = 0; i < 4; i++) {
            out[i] = toLong(hash, i * 8);
        }
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

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
