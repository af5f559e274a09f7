package dev.keyledger.contracts.id;

import java.security.SecureRandom;

/**
 * Identifiers with a type prefix ({@code org_}, {@code db_}, {@code key_}) and a ULID: 48 bits of
 * milliseconds and 80 random bits in Crockford base32, so ids sort by creation time.
 */
public final class Ids {

    public static final String ORGANIZATION_PREFIX = "org_";
    public static final String DATABASE_PREFIX = "db_";
    public static final String KEY_PREFIX = "key_";
    public static final String EVENT_PREFIX = "evt_";

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ULID_LENGTH = 26;

    private Ids() {}

    public static String newOrganizationId() {
        return ORGANIZATION_PREFIX + ulid();
    }

    public static String newDatabaseId() {
        return DATABASE_PREFIX + ulid();
    }

    public static String newKeyId() {
        return KEY_PREFIX + ulid();
    }

    public static String ulid() {
        char[] out = new char[ULID_LENGTH];
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        int bits = 0;
        int buffer = 0;
        int pos = 10;
        for (byte b : random) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out[pos++] = CROCKFORD[(buffer >>> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        return new String(out);
    }

    /** True when {@code id} has the given prefix followed by a well-formed ULID. */
    public static boolean isValid(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() != prefix.length() + ULID_LENGTH) {
            return false;
        }
        for (int i = prefix.length(); i < id.length(); i++) {
            if (indexOf(id.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < CROCKFORD.length; i++) {
            if (CROCKFORD[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
