package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.KeyCheck;
import java.util.zip.CRC32;

/**
 * The same answer as {@link ApiKeyFormat#check(CharSequence)}, computed for the hot path: one pass
 * copies the key into a byte buffer (reused for the SHA-256 that follows) while validating
 * characters with a table, then one CRC32 call over the buffer instead of one call per character.
 * {@code KeyFormatCheckTest} pins the equivalence.
 */
final class KeyFormatCheck {

    private static final byte[] BASE62 = new byte[128];

    static {
        java.util.Arrays.fill(BASE62, (byte) -1);
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE62[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static final int BODY = ApiKeyFormat.PREFIX_LENGTH + ApiKeyFormat.RANDOM_LENGTH;

    private KeyFormatCheck() {}

    /** Checks {@code key}; for a result other than {@link KeyCheck#MALFORMED}, {@code out} holds its bytes. */
    static KeyCheck check(String key, byte[] out) {
        if (key.length() != ApiKeyFormat.KEY_LENGTH) {
            return KeyCheck.MALFORMED;
        }
        char first = key.charAt(0);
        KeyCheck valid;
        if (first == 's' && key.charAt(1) == 'k' && key.charAt(2) == '_') {
            valid = KeyCheck.VALID_SECRET;
        } else if (first == 'p' && key.charAt(1) == 'k' && key.charAt(2) == '_') {
            valid = KeyCheck.VALID_PUBLIC;
        } else {
            return KeyCheck.MALFORMED;
        }
        out[0] = (byte) first;
        out[1] = 'k';
        out[2] = '_';
        long presented = 0;
        for (int i = ApiKeyFormat.PREFIX_LENGTH; i < ApiKeyFormat.KEY_LENGTH; i++) {
            char c = key.charAt(i);
            if (c >= 128 || BASE62[c] < 0) {
                return KeyCheck.MALFORMED;
            }
            out[i] = (byte) c;
            if (i >= BODY) {
                presented = presented * 62 + BASE62[c];
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, BODY);
        return presented == crc.getValue() ? valid : KeyCheck.BAD_CHECKSUM;
    }
}
