package dev.keyledger.contracts.value;

import java.util.Locale;

/**
 * One allowed browser origin of a database: {@code scheme://host[:port]} exactly as a browser sends
 * it in an {@code Origin} header, or the single wildcard form {@code https://*.example.com[:port]}
 * that stands for one leading label. This is the only place the grammar exists; the
 * command-service validates with it and the edge builds its matchers from it.
 *
 * <p>Rule, applied by {@link #parse}:
 *
 * <ul>
 *   <li>at most {@value #MAX_LENGTH} characters; scheme {@code http} or {@code https}, then
 *       {@code ://}, then the host and an optional port, nothing else: no path (not even a
 *       trailing {@code /}), query, fragment, user info, white space or backslash;
 *   <li>host: dot-separated labels of ASCII letters, digits and hyphens (1 to 63 characters, no
 *       hyphen first or last), at most 253 characters, no trailing dot. Internationalised names in
 *       their punycode form ({@code xn--...}), as browsers send them. A host whose last label is a
 *       number must be a dotted-quad IPv4 address ({@code 0}-{@code 255}, no leading zeros). IPv6
 *       literals are not accepted (browsers rewrite them into a compressed form that a stored
 *       value would have to match byte for byte; use a host name such as {@code localhost});
 *   <li>port: 1 to 65535 without leading zeros; the scheme's default port (80, 443) is dropped,
 *       because a browser never sends it;
 *   <li>wildcard: only {@code https://*.} followed by a host of at least two labels (so
 *       {@code https://*.com} and {@code http://*.example.com} are refused), never an IP address,
 *       never elsewhere in the host; it matches exactly one label ({@code https://a.example.com},
 *       not {@code https://a.b.example.com} nor {@code https://example.com});
 *   <li>scheme and host are case-insensitive and stored in lowercase, the canonical form {@link
 *       #value()} that a browser's {@code Origin} header is compared with.
 * </ul>
 *
 * Immutable; {@link #matches} allocates nothing, so the edge may call it per request.
 */
public final class OriginPattern {

    public static final int MAX_LENGTH = 300;
    static final int MAX_HOST_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;

    private static final String HTTPS = "https://";
    private static final String WILDCARD = "https://*.";

    /** Canonical form: what a matching {@code Origin} header is equal to (exact) or the pattern. */
    private final String value;
    /** For a wildcard: the part after the matched label, {@code .example.com[:port]}; else {@code null}. */
    private final String wildcardSuffix;

    private OriginPattern(String value, String wildcardSuffix) {
        this.value = value;
        this.wildcardSuffix = wildcardSuffix;
    }

    /** The pattern in canonical form, or an {@link InvalidValueException} naming the broken part. */
    public static OriginPattern parse(String raw) {
        if (raw == null) {
            throw new InvalidValueException("is required");
        }
        if (raw.isEmpty() || raw.length() > MAX_LENGTH) {
            throw new InvalidValueException("must be scheme://host[:port] of at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new InvalidValueException(
                        "must be ASCII without spaces or control characters (use the punycode form of a name)");
            }
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        String scheme;
        if (lower.startsWith("https://")) {
            scheme = "https";
        } else if (lower.startsWith("http://")) {
            scheme = "http";
        } else {
            throw new InvalidValueException("must start with http:// or https://");
        }
        String authority = lower.substring(scheme.length() + 3);
        for (int i = 0; i < authority.length(); i++) {
            switch (authority.charAt(i)) {
                case '/', '?', '#' -> throw new InvalidValueException("must not have a path, query or fragment");
                case '@' -> throw new InvalidValueException("must not have user info");
                case '\\' -> throw new InvalidValueException("must not contain a backslash");
                case '[', ']' -> throw new InvalidValueException("IPv6 literals are not supported; use a host name");
                default -> {}
            }
        }
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        int port = colon < 0 ? -1 : port(authority.substring(colon + 1));
        if ((port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http"))) {
            port = -1;
        }
        boolean wildcard = host.startsWith("*.");
        if (wildcard) {
            if (!scheme.equals("https")) {
                throw new InvalidValueException("a wildcard is only allowed as https://*.domain.tld");
            }
            host = host.substring(2);
        }
        int labels = checkHost(host);
        if (wildcard && (labels < 2 || isNumeric(lastLabel(host)))) {
            throw new InvalidValueException("a wildcard is only allowed as https://*.domain.tld");
        }
        String hostAndPort = port < 0 ? host : host + ":" + port;
        String value = scheme + "://" + (wildcard ? "*." : "") + hostAndPort;
        return new OriginPattern(value, wildcard ? "." + hostAndPort : null);
    }

    /** True when {@code raw} is valid and already in canonical form. */
    public static boolean isCanonical(String raw) {
        try {
            return parse(raw).value.equals(raw);
        } catch (InvalidValueException e) {
            return false;
        }
    }

    /**
     * True when a browser's {@code Origin} header value is this origin, or is covered by this
     * wildcard. Compares canonical forms only (browsers send lowercase hosts). Allocation free.
     */
    public boolean matches(String origin) {
        if (origin == null) {
            return false;
        }
        if (wildcardSuffix == null) {
            return value.equals(origin);
        }
        int labelStart = HTTPS.length();
        int labelEnd = origin.length() - wildcardSuffix.length();
        return labelEnd > labelStart
                && origin.startsWith(HTTPS)
                && origin.endsWith(wildcardSuffix)
                && isLabel(origin, labelStart, labelEnd);
    }

    /**
     * The canonical wildcard pattern that would cover {@code origin} ({@code https://*.example.com}
     * for {@code https://shop.example.com}), or {@code null} when no wildcard can cover it. Lets a
     * table of patterns answer "does any pattern allow this origin" with one lookup.
     */
    public static String coveringWildcard(String origin) {
        if (origin == null || origin.length() > MAX_LENGTH || !origin.startsWith(HTTPS)) {
            return null;
        }
        int dot = origin.indexOf('.', HTTPS.length());
        if (dot < 0 || !isLabel(origin, HTTPS.length(), dot)) {
            return null;
        }
        return WILDCARD + origin.substring(dot + 1);
    }

    public String value() {
        return value;
    }

    public boolean isWildcard() {
        return wildcardSuffix != null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OriginPattern pattern && pattern.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || digits.charAt(0) == '0') {
            throw new InvalidValueException("port must be 1 to 65535 without leading zeros");
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidValueException("port must be 1 to 65535 without leading zeros");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw new InvalidValueException("port must be 1 to 65535 without leading zeros");
        }
        return port;
    }

    /** Checks a lowercase host name or IPv4 address and returns its number of labels. */
    private static int checkHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH) {
            throw new InvalidValueException("host must be 1 to " + MAX_HOST_LENGTH + " characters");
        }
        int labels = 0;
        int start = 0;
        while (true) {
            int end = host.indexOf('.', start);
            if (end < 0) {
                end = host.length();
            }
            if (!isLabel(host, start, end)) {
                throw new InvalidValueException(
                        "host labels must be 1 to 63 letters, digits or inner hyphens, separated by single dots");
            }
            labels++;
            if (end == host.length()) {
                break;
            }
            start = end + 1;
        }
        if (isNumeric(lastLabel(host)) && !isIpv4(host)) {
            throw new InvalidValueException("a numeric host must be a dotted-quad IPv4 address");
        }
        return labels;
    }

    /** True when {@code s[start, end)} is a lowercase LDH label: 1-63 characters, no outer hyphen. */
    private static boolean isLabel(String s, int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_LABEL_LENGTH || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String lastLabel(String host) {
        return host.substring(host.lastIndexOf('.') + 1);
    }

    private static boolean isNumeric(String label) {
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !label.isEmpty();
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!isNumeric(part) || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return false;
            }
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
