package dev.keyledger.command.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What makes two requests "the same request" for an Idempotency-Key: SHA-256 over the method, the
 * request path (with its query) and the body in canonical form. A body that is one JSON value is
 * canonicalised (members sorted, insignificant whitespace dropped), so a client that re-serialises
 * the same object in another member order retries rather than conflicts; any other body (malformed
 * JSON, duplicate members, beyond the parser's limits) is hashed as its bytes, and the request then
 * fails its own validation anyway. Stateless and thread-safe.
 */
final class RequestFingerprint {

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    private RequestFingerprint() {}

    static byte[] of(String method, String path, byte[] body) {
        MessageDigest digest = sha256();
        update(digest, method.getBytes(StandardCharsets.UTF_8));
        update(digest, path.getBytes(StandardCharsets.UTF_8));
        byte[] canonical = canonical(body);
        digest.update(canonical == body ? (byte) 'r' : (byte) 'j');
        update(digest, canonical);
        return digest.digest();
    }

    /** The body in canonical JSON, or the body itself when it is not one JSON value. */
    static byte[] canonical(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try {
            JsonNode tree = CANONICAL.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                return body;
            }
            return CANONICAL.writeValueAsBytes(tree);
        } catch (JacksonException e) {
            return body;
        }
    }

    /** SHA-256 of the caller: keys of two callers are two different keys. */
    static byte[] scope(String subject, String organizationId) {
        MessageDigest digest = sha256();
        update(digest, (subject == null ? "" : subject).getBytes(StandardCharsets.UTF_8));
        update(digest, (organizationId == null ? "" : organizationId).getBytes(StandardCharsets.UTF_8));
        return digest.digest();
    }

    /** Length-prefixed, so that no two different sequences of parts hash the same. */
    private static void update(MessageDigest digest, byte[] part) {
        int length = part.length;
        digest.update(
                new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        digest.update(part);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
