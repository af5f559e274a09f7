package dev.keyledger.contracts.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The key format: {@code sk_} or {@code pk_}, 58 random base62 characters and a 6-character base62
 * CRC32 checksum of the prefix and the random part. A scanner or the edge rejects a mistyped or
 * forged key without a lookup. CRC32 detects every burst error of up to 32 bits, so every
 * single-character change of a key fails the check (decision record 0002).
 *
 * <p>Thread safe: {@link SecureRandom} is thread safe, and digests are per thread.
 */
public final class ApiKeyFormat {

    public static final int RANDOM_LENGTH = 58;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int PREFIX_LENGTH = 3;
    public static final int KEY_LENGTH = PREFIX_LENGTH + RANDOM_LENGTH + CHECKSUM_LENGTH;

    static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeyFormat::newSha256);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ApiKeyFormat() {}

    public static GeneratedApiKey generate(ApiKeyType type) {
        char[] key = new char[KEY_LENGTH];
        type.prefix().getChars(0, PREFIX_LENGTH, key, 0);
        for (int i = PREFIX_LENGTH; i < PREFIX_LENGTH + RANDOM_LENGTH; i++) {
            key[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        writeChecksum(key);
        String plaintext = new String(key);
        return new GeneratedApiKey(type, plaintext, sha256Hex(plaintext), lastFour(plaintext));
    }

    /** Checks a presented key without any lookup. Never throws; {@code null} is malformed. */
    public static KeyCheck check(CharSequence key) {
        if (key == null || key.length() != KEY_LENGTH) {
            return KeyCheck.MALFORMED;
        }
        KeyCheck valid;
        if (key.charAt(0) == 's' && key.charAt(1) == 'k' && key.charAt(2) == '_') {
            valid = KeyCheck.VALID_SECRET;
        } else if (key.charAt(0) == 'p' && key.charAt(1) == 'k' && key.charAt(2) == '_') {
            valid = KeyCheck.VALID_PUBLIC;
        } else {
            return KeyCheck.MALFORMED;
        }
        CRC32 crc = new CRC32();
        for (int i = 0; i < PREFIX_LENGTH + RANDOM_LENGTH; i++) {
            char c = key.charAt(i);
            if (i >= PREFIX_LENGTH && base62Value(c) < 0) {
                return KeyCheck.MALFORMED;
            }
            crc.update(c);
        }
        long expected = crc.getValue();
        long presented = 0;
        for (int i = PREFIX_LENGTH + RANDOM_LENGTH; i < KEY_LENGTH; i++) {
            int digit = base62Value(key.charAt(i));
            if (digit < 0) {
                return KeyCheck.MALFORMED;
            }
            presented = presented * ALPHABET.length + digit;
        }
        return presented == expected ? valid : KeyCheck.BAD_CHECKSUM;
    }

    /** Hex SHA-256 of the whole key: the only form in which a key is stored or looked up. */
    public static String sha256Hex(CharSequence key) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                digest.update((byte) c);
            } else {
                digest.update(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] hash = digest.digest();
        char[] out = new char[hash.length * 2];
        for (int i = 0; i < hash.length; i++) {
            out[i * 2] = HEX[(hash[i] >> 4) & 0xF];
            out[i * 2 + 1] = HEX[hash[i] & 0xF];
        }
        return new String(out);
    }

    public static String lastFour(String key) {
        return key.substring(key.length() - 4);
    }

    /** How a secret key is shown after creation: {@code sk_...} plus its last four characters. */
    public static String masked(ApiKeyType type, String lastFour) {
        return type.prefix() + "..." + lastFour;
    }

    private static void writeChecksum(char[] key) {
        CRC32 crc = new CRC32();
        for (int i = 0; i < PREFIX_LENGTH + RANDOM_LENGTH; i++) {
            crc.update(key[i]);
        }
        long value = crc.getValue();
        for (int i = KEY_LENGTH - 1; i >= PREFIX_LENGTH + RANDOM_LENGTH; i--) {
            key[i] = ALPHABET[(int) (value % ALPHABET.length)];
            value /= ALPHABET.length;
        }
    }

    static int base62Value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
