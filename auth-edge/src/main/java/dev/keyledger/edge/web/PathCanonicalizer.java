package dev.keyledger.edge.web;

import java.util.List;

/**
 * The one canonical form of a request path (CONTRACT.md "Request hygiene"): the edge decides on it
 * and forwards exactly it, so the edge and the upstream can never read two different paths out of
 * the same bytes. Canonical means: percent-escapes of unreserved characters decoded, every other
 * escape kept with uppercase hex, {@code .} and {@code ..} segments removed (RFC 3986 5.2.4).
 *
 * <p>Refused (the caller answers 400): anything that does not start with {@code /}, an empty
 * segment ({@code //}), a raw {@code ;} or {@code \}, an encoded {@code /}, {@code \}, {@code %}
 * (double encoding) or NUL, a malformed escape, escaped bytes that are not UTF-8, a raw character
 * outside RFC 3986's {@code pchar} (controls, space, non-ASCII, {@code ? # [ ] " < > ^ ` { | }}),
 * and a {@code ..} that would take the path out of one of the configured prefixes.
 *
 * <p>One pass over the characters; an already-canonical path is returned as the same instance with
 * no allocation, so the common case costs a table lookup per character. Thread safe.
 */
public final class PathCanonicalizer {

    /** RFC 3986 unreserved: decoded when escaped. */
    private static final boolean[] UNRESERVED = new boolean[128];

    /** Characters allowed raw in a segment: unreserved, sub-delims except {@code ;}, {@code :} and {@code @}. */
    private static final boolean[] RAW_OK = new boolean[128];

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, RAW_OK, 0, 128);
        for (char c : "!$&'()*+,=:@".toCharArray()) {
            RAW_OK[c] = true;
        }
    }

    private final String[] prefixes;

    /**
     * @param prefixes path prefixes (such as {@code /api/}) that a {@code ..} segment must not
     *     leave; a path that is under one before a {@code ..} and would not be after it is refused
     */
    public PathCanonicalizer(List<String> prefixes) {
        this.prefixes = prefixes.toArray(String[]::new);
    }

    /**
     * The canonical form of a raw path (no query string, no fragment).
     *
     * @param rawPath the path exactly as received, e.g. {@code request.getURI().getRawPath()}
     * @return the canonical path ({@code rawPath} itself when it already is canonical), or
     *     {@code null} when the path is refused
     */
    public String canonicalize(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        int length = rawPath.length();
        // Null until the output first differs from the input; then the output so far.
        StringBuilder out = null;
        int segmentStart = 1; // index in rawPath (out == null) or in out (out != null) after the last '/'
        int utf8Needed = 0; // continuation bytes still expected
        int utf8Low = 0x80;
        int utf8High = 0xBF;
        int i = 1;
        while (true) {
            char c = i < length ? rawPath.charAt(i) : '/';
            if (c == '/') {
                if (utf8Needed != 0) {
                    return null;
                }
                boolean end = i >= length;
                int segmentEnd = out == null ? i : out.length();
                CharSequence text = out == null ? rawPath : out;
                int segmentLength = segmentEnd - segmentStart;
                if (segmentLength == 0 && !end) {
                    return null; // '//' (a final empty segment is the trailing slash, kept)
                }
                boolean dot = segmentLength == 1 && text.charAt(segmentStart) == '.';
                boolean dotDot =
                        segmentLength == 2 && text.charAt(segmentStart) == '.' && text.charAt(segmentStart + 1) == '.';
                if (dot || dotDot) {
                    if (out == null) {
                        out = new StringBuilder(length).append(rawPath, 0, segmentStart);
                    } else {
                        out.setLength(segmentStart);
                    }
                    // out ends with the '/' before the dot segment.
                    if (dotDot && !popSegment(out)) {
                        return null;
                    }
                    segmentStart = out.length();
                    // A dot segment at the end leaves the trailing slash (RFC 3986 5.2.4); else
                    // the '/' after it is consumed: out already ends with '/'.
                    if (end) {
                        break;
                    }
                    i++;
                    continue;
                }
                if (end) {
                    break;
                }
                if (out != null) {
                    out.append('/');
                }
                i++;
                segmentStart = out == null ? i : out.length();
                continue;
            }
            if (c == '%') {
                if (i + 2 >= length) {
                    return null;
                }
                int high = hexValue(rawPath.charAt(i + 1));
                int low = hexValue(rawPath.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return null;
                }
                int value = high << 4 | low;
                if (utf8Needed > 0) {
                    if (value < utf8Low || value > utf8High) {
                        return null;
                    }
                    utf8Needed--;
                    utf8Low = 0x80;
                    utf8High = 0xBF;
                } else if (value >= 0x80) {
                    if (value >= 0xC2 && value <= 0xDF) {
                        utf8Needed = 1;
                    } else if (value >= 0xE0 && value <= 0xEF) {
                        utf8Needed = 2;
                        utf8Low = value == 0xE0 ? 0xA0 : 0x80; // no overlong forms
                        utf8High = value == 0xED ? 0x9F : 0xBF; // no surrogates
                    } else if (value >= 0xF0 && value <= 0xF4) {
                        utf8Needed = 3;
                        utf8Low = value == 0xF0 ? 0x90 : 0x80;
                        utf8High = value == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
                    } else {
                        return null; // a continuation byte without a lead, C0, C1, F5..FF
                    }
                } else if (value == 0 || value == '/' || value == '\\' || value == '%') {
                    return null;
                }
                if (value < 0x80 && UNRESERVED[value]) {
                    if (out == null) {
                        out = new StringBuilder(length).append(rawPath, 0, i);
                    }
                    out.append((char) value);
                } else {
                    char upperHigh = HEX[high];
                    char upperLow = HEX[low];
                    if (out == null && (upperHigh != rawPath.charAt(i + 1) || upperLow != rawPath.charAt(i + 2))) {
                        out = new StringBuilder(length).append(rawPath, 0, i);
                    }
                    if (out != null) {
                        out.append('%').append(upperHigh).append(upperLow);
                    }
                }
                i += 3;
                continue;
            }
            if (utf8Needed != 0 || c >= 128 || !RAW_OK[c]) {
                return null; // includes ';', '\', '?', '#', controls, space and raw non-ASCII
            }
            if (out != null) {
                out.append(c);
            }
            i++;
        }
        return out == null ? rawPath : out.toString();
    }

    /** True when the path is exactly in canonical form (forward-auth: the gateway forwards its own bytes). */
    public boolean isCanonical(String rawPath) {
        String canonical = canonicalize(rawPath);
        return canonical != null && canonical.equals(rawPath);
    }

    /**
     * Removes the last segment of {@code out} (which ends with '/'), leaving it ending with '/';
     * refuses (false) when that takes the path out of a configured prefix. Above the root there is
     * nothing to remove (RFC 3986: "/.." is "/").
     */
    private boolean popSegment(StringBuilder out) {
        int before = out.length();
        if (before <= 1) {
            return true;
        }
        int slash = before - 2;
        while (slash > 0 && out.charAt(slash) != '/') {
            slash--;
        }
        for (String prefix : prefixes) {
            if (startsWith(out, prefix, before) && !startsWith(out, prefix, slash + 1)) {
                return false;
            }
        }
        out.setLength(slash + 1);
        return true;
    }

    /** Whether the first {@code length} characters of {@code text} start with {@code prefix}. */
    private static boolean startsWith(CharSequence text, String prefix, int length) {
        if (prefix.length() > length) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (text.charAt(k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
