package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The verifier's fast path for one entry line: streams the line's tokens with a {@link JsonParser}
 * (no tree) and writes the RFC 8785 canonical form, less the top-level {@code hash} member, into
 * a reused buffer, then SHA-256 of it, capturing {@code seq}, {@code prev_hash}, {@code hash} and
 * {@code organization_id} on the way. Canonical JSON needs members sorted, so this only works when
 * every object's member names arrive in strictly increasing JCS order (the order the service
 * writes): {@link #read} returns false for anything else (another order, a duplicate name, a
 * number that is not a safe integer, a checkpoint, a value of an unexpected type, malformed JSON),
 * and the verifier then takes the full tree path, which decides and explains the line. So the fast
 * path only ever accepts what the tree path would hash to the same bytes.
 *
 * <p>Not thread safe.
 */
final class StreamingEntry {

    private static final HexFormat HEX = HexFormat.of();

    private final JsonFactory factory;
    private final CanonicalJson canonical = new CanonicalJson();
    private final MessageDigest sha256 = AuditChain.sha256();
    private String[] lastName = new String[16];

    long seq;
    String prevHash;
    String hash;
    String organizationId;
    String computed;

    StreamingEntry(JsonFactory factory) {
        this.factory = factory;
    }

    /** Whether the line was an entry the fast path could hash (its values are then in the fields). */
    boolean read(byte[] line, int length) {
        try (JsonParser parser = factory.createParser(line, 0, length)) {
            return read(parser);
        } catch (IOException | IllegalArgumentException e) {
            return false; // the tree path reports it
        }
    }

    private boolean read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        boolean seqSeen = false;
        prevHash = null;
        hash = null;
        organizationId = null;
        canonical.reset();
        canonical.put('{');
        String previous = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (previous != null && previous.compareTo(name) >= 0) {
                return false;
            }
            previous = name;
            JsonToken value = parser.nextToken();
            switch (name) {
                case AuditChain.HASH -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    hash = parser.getText();
                    continue; // not hashed
                }
                case AuditChain.SEQ -> {
                    if (value != JsonToken.VALUE_NUMBER_INT
                            || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return false;
                    }
                    seq = parser.getLongValue();
                    seqSeen = true;
                }
                case AuditChain.PREV_HASH -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    prevHash = parser.getText();
                }
                case "organization_id" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    organizationId = parser.getText();
                }
                case "type" -> {
                    if (value == JsonToken.VALUE_STRING && AuditCheckpoint.TYPE.equals(parser.getText())) {
                        return false; // a checkpoint
                    }
                }
                default -> {}
            }
            canonical.comma();
            canonical.writeString(name);
            canonical.put(':');
            if (!value(parser, value, 1)) {
                return false;
            }
        }
        if (token != JsonToken.END_OBJECT
                || parser.nextToken() != null
                || !seqSeen
                || prevHash == null
                || hash == null) {
            return false;
        }
        canonical.put('}');
        canonical.updateDigest(sha256);
        computed = HEX.formatHex(sha256.digest());
        return true;
    }

    private boolean value(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (token == null) {
            return false;
        }
        switch (token) {
            case VALUE_STRING -> {
                canonical.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                return true;
            }
            case VALUE_NUMBER_INT -> {
                JsonParser.NumberType type = parser.getNumberType();
                if (type == JsonParser.NumberType.BIG_INTEGER || !canonical.writeSafeInteger(parser.getLongValue())) {
                    return false;
                }
                return true;
            }
            case VALUE_TRUE -> canonical.putAscii("true");
            case VALUE_FALSE -> canonical.putAscii("false");
            case VALUE_NULL -> canonical.putAscii("null");
            case START_ARRAY -> {
                canonical.put('[');
                JsonToken element;
                while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (element == null) {
                        return false;
                    }
                    canonical.comma();
                    if (!value(parser, element, depth + 1)) {
                        return false;
                    }
                }
                canonical.put(']');
            }
            case START_OBJECT -> {
                canonical.put('{');
                if (depth >= lastName.length) {
                    lastName = Arrays.copyOf(lastName, depth * 2);
                }
                lastName[depth] = null;
                JsonToken member;
                while ((member = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (lastName[depth] != null && lastName[depth].compareTo(name) >= 0) {
                        return false;
                    }
                    lastName[depth] = name;
                    canonical.comma();
                    canonical.writeString(name);
                    canonical.put(':');
                    if (!value(parser, parser.nextToken(), depth + 1)) {
                        return false;
                    }
                }
                if (member != JsonToken.END_OBJECT) {
                    return false;
                }
                canonical.put('}');
            }
            default -> {
                return false; // floats and anything else: the tree path
            }
        }
        return true;
    }
}
