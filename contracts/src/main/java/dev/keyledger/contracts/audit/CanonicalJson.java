package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JSON Canonicalization Scheme) of a Jackson tree, written as UTF-8 into a buffer this
 * object reuses: object members sorted by the UTF-16 code units of their names, no white space,
 * strings with only the escapes JCS allows ({@code \b \t \n \f \r \" \\} and a six-character u-escape, lowercase hex, for the
 * other control characters; everything else literal), numbers as ECMAScript's
 * {@code Number.prototype.toString} writes the nearest double. Hand-written (decision record 0009):
 * it is a small, fully specified transformation, and the verifier's speed depends on it not
 * copying trees or building strings.
 *
 * <p>Not thread safe: one instance per thread; {@link #of(JsonNode)} for a one-off use. Throws
 * {@link IllegalArgumentException} for what JCS cannot represent: NaN, infinities, lone surrogates,
 * binary or POJO nodes.
 */
public final class CanonicalJson {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long MAX_SAFE_INTEGER = 9_007_199_254_740_992L; // 2^53

    private byte[] buffer = new byte[1024];
    private int length;
    private char[] scratch = new char[64];

    /** The canonical UTF-8 bytes of {@code node}. */
    public static byte[] of(JsonNode node) {
        CanonicalJson json = new CanonicalJson();
        json.write(node, null);
        return json.toByteArray();
    }

    /** The canonical form of {@code node} as a string. */
    public static String toString(JsonNode node) {
        return new String(of(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Replaces the buffer's content with the canonical form of {@code node}; when {@code node} is
     * an object, its top-level member {@code skipMember} (if not null) is left out, so an entry can
     * be hashed without its {@code hash} and a checkpoint signed without its {@code signature}
     * without copying the tree.
     */
    public CanonicalJson write(JsonNode node, String skipMember) {
        length = 0;
        if (skipMember != null && node.isObject()) {
            writeObject(node, skipMember);
        } else {
            writeValue(node);
        }
        return this;
    }

    /** Feeds the buffer's content to {@code digest}. */
    public void updateDigest(MessageDigest digest) {
        digest.update(buffer, 0, length);
    }

    /** Writes the buffer's content to {@code out}. */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(buffer, 0, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    public int length() {
        return length;
    }

    private void writeValue(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, null);
            case ARRAY -> {
                put('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        put(',');
                    }
                    first = false;
                    writeValue(element);
                }
                put(']');
            }
            case STRING -> writeString(node.textValue());
            case NUMBER -> writeNumber(node);
            case BOOLEAN -> putAscii(node.booleanValue() ? "true" : "false");
            case NULL -> putAscii("null");
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private void writeObject(JsonNode node, String skipMember) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (skipMember == null || !skipMember.equals(member.getKey())) {
                members.add(member);
            }
        }
        // String.compareTo compares UTF-16 code units, which is exactly JCS's order.
        if (members.size() > 1) {
            members.sort(Map.Entry.comparingByKey());
        }
        put('{');
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) {
                put(',');
            }
            Map.Entry<String, JsonNode> member = members.get(i);
            writeString(member.getKey());
            put(':');
            writeValue(member.getValue());
        }
        put('}');
    }

    /**
     * Appends the canonical string of {@code value}. Its characters are copied into a scratch array
     * this object reuses, so one escaping loop serves both the tree path and the streaming path
     * (which hands over the parser's own character buffer) without allocating once the scratch
     * array has grown to the longest string seen.
     */
    void writeString(String value) {
        int count = value.length();
        if (scratch.length < count) {
            scratch = new char[Math.max(scratch.length * 2, count)];
        }
        value.getChars(0, count, scratch, 0);
        writeString(scratch, 0, count);
    }

    /** Appends the canonical string of {@code value[offset, offset + count)}. */
    void writeString(char[] value, int offset, int count) {
        int end = offset + count;
        ensure(count * 3 + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        for (int i = offset; i < end; i++) {
            char c = value[i];
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[at++] = (byte) c;
                    continue;
                }
                length = at;
                ensure(6 + (end - i) * 3 + 1);
                out = buffer;
                out[at++] = '\\';
                switch (c) {
                    case '"' -> out[at++] = '"';
                    case '\\' -> out[at++] = '\\';
                    case '\b' -> out[at++] = 'b';
                    case '\t' -> out[at++] = 't';
                    case '\n' -> out[at++] = 'n';
                    case '\f' -> out[at++] = 'f';
                    case '\r' -> out[at++] = 'r';
                    default -> {
                        out[at++] = 'u';
                        out[at++] = '0';
                        out[at++] = '0';
                        out[at++] = HEX[c >> 4];
                        out[at++] = HEX[c & 0xf];
                    }
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= end || !Character.isLowSurrogate(value[i + 1])) {
                    throw new IllegalArgumentException("lone surrogate in a string: JCS needs well-formed Unicode");
                }
                int cp = Character.toCodePoint(c, value[++i]);
                out[at++] = (byte) (0xf0 | (cp >> 18));
                out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                out[at++] = (byte) (0xe0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                out[at++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        out[at++] = '"';
        length = at;
    }

    private void writeNumber(JsonNode node) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long value = node.longValue();
            if (value >= -MAX_SAFE_INTEGER && value <= MAX_SAFE_INTEGER) {
                putAscii(Long.toString(value));
                return;
            }
        }
        putAscii(number(node.doubleValue()));
    }

    /** ECMAScript's Number.prototype.toString of {@code value} (ECMA-262, 7.1.12.1), as JCS requires. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JCS has no representation for " + value);
        }
        if (value == 0) {
            return "0"; // also -0
        }
        // Java's Double.toString (JDK 19 and later) gives the shortest decimal that rounds to the
        // double, with at least two digits; ECMAScript allows one.
        BigDecimal decimal = shortest(value);
        String digits = decimal.unscaledValue().abs().toString();
        int k = digits.length();
        int n = k - decimal.scale(); // value = 0.digits * 10^n
        StringBuilder out = new StringBuilder(32);
        if (value < 0) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            int exponent = n - 1;
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    private static BigDecimal shortest(double value) {
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (decimal.precision() == 2) {
            // A one-digit decimal may round to the same double (4.9E-324 is 5e-324 in ECMAScript).
            BigDecimal best = null;
            for (java.math.RoundingMode mode : List.of(java.math.RoundingMode.FLOOR, java.math.RoundingMode.CEILING)) {
                BigDecimal candidate = decimal.round(new java.math.MathContext(1, mode));
                if (candidate.doubleValue() == value
                        && (best == null
                                || candidate
                                                .subtract(new BigDecimal(value))
                                                .abs()
                                                .compareTo(best.subtract(new BigDecimal(value))
                                                        .abs())
                                        < 0)) {
                    best = candidate;
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        return decimal;
    }

    /** Empties the buffer (for the streaming writer of {@link StreamingEntry}). */
    void reset() {
        length = 0;
    }

    /** A comma unless the buffer ends with the {@code [} or {@code {} that opens the current container. */
    void comma() {
        byte last = buffer[length - 1];
        if (last != '{' && last != '[') {
            put(',');
        }
    }

    /** Appends {@code value} when it is a safe integer (as {@link #write} would); false otherwise. */
    boolean writeSafeInteger(long value) {
        if (value < -MAX_SAFE_INTEGER || value > MAX_SAFE_INTEGER) {
            return false;
        }
        putAscii(Long.toString(value));
        return true;
    }

    void put(char c) {
        ensure(1);
        buffer[length++] = (byte) c;
    }

    void putAscii(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buffer[length++] = (byte) ascii.charAt(i);
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
