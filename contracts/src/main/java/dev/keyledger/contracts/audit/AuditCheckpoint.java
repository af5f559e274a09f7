package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A signed statement "the audit log of {@code organizationId} from {@code firstSeq} to
 * {@code lastSeq}, {@code count} entries, ends in {@code head}": the last line of an export and the
 * value of a record on {@code keyledger.audit-checkpoints}. {@code signature} is the base64url
 * (no padding) Ed25519 signature, by the key {@code keyId}, of the RFC 8785 canonical JSON of the
 * checkpoint without its {@code signature} member (CONTRACT.md).
 *
 * <p>An export with no entries has {@code count} 0, no {@code first_seq} and {@code last_seq}
 * (JSON null) and as {@code head} the hash of the organization's last entry before the range, or
 * 64 zeros (docs/audit.md).
 */
public record AuditCheckpoint(
        String organizationId,
        Long firstSeq,
        Long lastSeq,
        long count,
        String head,
        Instant signedAt,
        String keyId,
        String signature) {

    public static final String TYPE = "checkpoint";
    public static final String SIGNATURE = "signature";

    /** Signs the checkpoint of a range with {@code key}; {@code signedAt} is kept to the millisecond. */
    public static AuditCheckpoint sign(
            String organizationId,
            Long firstSeq,
            Long lastSeq,
            long count,
            String head,
            Instant signedAt,
            SigningKey key) {
        AuditCheckpoint unsigned = new AuditCheckpoint(
                organizationId,
                firstSeq,
                lastSeq,
                count,
                head,
                signedAt.truncatedTo(ChronoUnit.MILLIS),
                key.keyId(),
                null);
        String signature = key.sign(CanonicalJson.of(unsigned.toJson()));
        return new AuditCheckpoint(
                organizationId, firstSeq, lastSeq, count, head, unsigned.signedAt(), key.keyId(), signature);
    }

    /** The JSON object, members in CONTRACT.md's order ({@code signature} left out while null). */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        json.put("organization_id", organizationId);
        if (firstSeq == null) {
            json.putNull("first_seq");
        } else {
            json.put("first_seq", firstSeq.longValue());
        }
        if (lastSeq == null) {
            json.putNull("last_seq");
        } else {
            json.put("last_seq", lastSeq.longValue());
        }
        json.put("count", count);
        json.put("head", head);
        json.put("signed_at", signedAt.toString());
        json.put("key_id", keyId);
        if (signature != null) {
            json.put(SIGNATURE, signature);
        }
        return json;
    }

    /** Whether {@code json} is a checkpoint line: an object whose {@code type} is {@code checkpoint}. */
    public static boolean isCheckpoint(JsonNode json) {
        return json.isObject() && TYPE.equals(json.path("type").textValue());
    }

    /**
     * Whether the signature of the checkpoint {@code json}, as received, verifies with
     * {@code key}: the signed bytes are the canonical JSON of exactly the members received, less
     * {@code signature}, so no member can be added or changed unnoticed.
     */
    public static boolean verifySignature(JsonNode json, PublicKey key) {
        JsonNode signature = json.get(SIGNATURE);
        if (signature == null || !signature.isTextual()) {
            return false;
        }
        byte[] signed = new CanonicalJson().write(json, SIGNATURE).toByteArray();
        return Ed25519.verify(key, signed, signature.textValue());
    }

    /** Reads a checkpoint; {@link IllegalArgumentException} names the first member that is wrong. */
    public static AuditCheckpoint parse(JsonNode json) {
        if (!isCheckpoint(json)) {
            throw new IllegalArgumentException("not a checkpoint: its type must be \"checkpoint\"");
        }
        String head = text(json, "head");
        if (!AuditChain.isHash(head)) {
            throw new IllegalArgumentException("head must be 64 lowercase hex digits");
        }
        long count = number(json, "count");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        Long firstSeq = count == 0 ? nullableNumber(json, "first_seq") : Long.valueOf(number(json, "first_seq"));
        Long lastSeq = count == 0 ? nullableNumber(json, "last_seq") : Long.valueOf(number(json, "last_seq"));
        Instant signedAt;
        try {
            signedAt = Instant.parse(text(json, "signed_at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("signed_at must be an ISO-8601 UTC instant");
        }
        JsonNode signature = json.get(SIGNATURE);
        return new AuditCheckpoint(
                text(json, "organization_id"),
                firstSeq,
                lastSeq,
                count,
                head,
                signedAt,
                text(json, "key_id"),
                signature == null || !signature.isTextual() ? null : signature.textValue());
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(member + " must be a string");
        }
        return value.textValue();
    }

    private static long number(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(member + " must be an integer");
        }
        return value.longValue();
    }

    private static Long nullableNumber(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        return number(json, member);
    }
}
