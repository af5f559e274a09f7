package dev.keyledger.edge.decision;

import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.KeyCheck;
import java.util.zip.CRC32;

/**
 * The contract's key check ({@link ApiKeyFormat#check(CharSequence)}) in two parts for the hot path.
 * {@link #checkBeforeLookup} runs before the SHA-256: it proves every character ASCII, copies the
 * key into a byte buffer (reused for the hash), then checks the prefix, the checksum's six
 * characters and one CRC32 call over the buffer, so a forged or mistyped key never reaches the hash
 * or the table. It leaves out one check, the alphabet of the 58 random characters, when the
 * checksum matches: a key the table finds is one the platform generated, so its alphabet is right,
 * and the caller runs {@link #bodyIsBase62} only when the lookup misses, to tell a malformed key
 * from an unknown one. That saves a second pass over the key on every accepted request
 * (docs/benchmarks-edge.md, "Where the decision's time goes"). {@link #check} composes the two
 * parts; {@code KeyFormatCheckTest} and {@code KeyFormatAgreementFuzzTest} pin it to the contract.
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

    /** Exactly {@link ApiKeyFormat#check(CharSequence)}; for a result other than MALFORMED, {@code out} holds the key's bytes. */
    static KeyCheck check(String key, byte[] out) {
        KeyCheck check = checkBeforeLookup(key, out);
        return check.isValid() && !bodyIsBase62(out) ? KeyCheck.MALFORMED : check;
    }

    /**
     * {@link #check} without the alphabet of the random part when the checksum matches: a valid
     * result still needs {@link #bodyIsBase62} unless the key's hash is found. For a result other
     * than MALFORMED, {@code out} holds the key's bytes.
     */
    static KeyCheck checkBeforeLookup(String key, byte[] out) {
        if (key.length() != ApiKeyFormat.KEY_LENGTH) {
            return KeyCheck.MALFORMED;
        }
        int any = 0;
        for (int i = 0; i < ApiKeyFormat.KEY_LENGTH; i++) {
            any |= key.charAt(i);
        }
        if (any >= 128) {
            return KeyCheck.MALFORMED; // above ASCII, a byte would not be its character
        }
        for (int i = 0; i < ApiKeyFormat.KEY_LENGTH; i++) {
            out[i] = (byte) key.charAt(i); // two simple loops ran 9 ns faster than one fused loop
        }
        if (out[1] != 'k' || out[2] != '_') {
            return KeyCheck.MALFORMED;
        }
        KeyCheck valid;
        if (out[0] == 's') {
            valid = KeyCheck.VALID_SECRET;
        } else if (out[0] == 'p') {
            valid = KeyCheck.VALID_PUBLIC;
        } else {
            return KeyCheck.MALFORMED;
        }
        long presented = 0;
        for (int i = BODY; i < ApiKeyFormat.KEY_LENGTH; i++) {
            int digit = BASE62[out[i]];
            if (digit < 0) {
                return KeyCheck.MALFORMED;
            }
            presented = presented * 62 + digit;
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, BODY);
        if (presented == crc.getValue()) {
            return valid;
        }
        return bodyIsBase62(out) ? KeyCheck.BAD_CHECKSUM : KeyCheck.MALFORMED;
    }

    /** True when the random part of the ASCII key bytes in {@code bytes} is all base62. */
    static boolean bodyIsBase62(byte[] bytes) {
        int digits = 0;
        for (int i = ApiKeyFormat.PREFIX_LENGTH; i < BODY; i++) {
            digits |= BASE62[bytes[i] & 0x7F];
        }
        return digits >= 0;
    }
}
