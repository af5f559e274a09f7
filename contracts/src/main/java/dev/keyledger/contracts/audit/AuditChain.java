package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of an organization's audit log: each entry carries {@code prev_hash}, the
 * {@code hash} of the entry before it ({@link #GENESIS_PREV_HASH} for seq 1), and its own
 * {@code hash} = lowercase hex SHA-256 of the RFC 8785 canonical JSON, UTF-8, of the entry without
 * its {@code hash} member (CONTRACT.md, "Audit and history"; docs/audit.md names the members).
 *
 * <p>An instance reuses one digest and one buffer: not thread safe, one per thread, cheap to make.
 */
public final class AuditChain {

    /** The {@code prev_hash} of an organization's first entry (seq 1): 64 zeros. */
    public static final String GENESIS_PREV_HASH = "0".repeat(64);

    public static final String HASH = "hash";
    public static final String PREV_HASH = "prev_hash";
    public static final String SEQ = "seq";

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;
    private final CanonicalJson canonical = new CanonicalJson();

    public AuditChain() {
        sha256 = sha256();
    }

    /** The hash of {@code entry}: its own {@code hash} member, if present, is left out. */
    public String hash(JsonNode entry) {
        return HEX.formatHex(digest(entry));
    }

    /** The raw 32 bytes of {@link #hash(JsonNode)}. */
    public byte[] digest(JsonNode entry) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException("an audit entry is a JSON object");
        }
        canonical.write(entry, HASH).updateDigest(sha256);
        return sha256.digest();
    }

    /** Whether {@code hex} is a hash as the chain writes it: 64 lowercase hex digits. */
    public static boolean isHash(String hex) {
        if (hex == null || hex.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
