package dev.keyledger.edge.keys;

import java.util.List;
import java.util.Set;

/**
 * A database's allowed origins, parsed once: exact {@code scheme://host[:port]} values and
 * {@code https://*.example.com} patterns that match exactly one leading label. Matching is a set
 * lookup plus, for patterns, a suffix comparison; nothing is parsed per request. Immutable.
 */
public final class AllowedOrigins {

    public static final AllowedOrigins NONE = new AllowedOrigins(List.of());

    private final List<String> source;
    private final Set<String> exact;
    /** Pattern tails such as {@code .example.com}, each for scheme {@code https://}. */
    private final String[] wildcardSuffixes;

    AllowedOrigins(List<String> origins) {
        this.source = List.copyOf(origins);
        java.util.HashSet<String> exactValues = new java.util.HashSet<>();
        java.util.ArrayList<String> suffixes = new java.util.ArrayList<>();
        for (String origin : source) {
            String suffix = wildcardSuffix(origin);
            if (suffix != null) {
                suffixes.add(suffix);
            } else {
                exactValues.add(origin);
            }
        }
        this.exact = Set.copyOf(exactValues);
        this.wildcardSuffixes = suffixes.toArray(String[]::new);
    }

    /** For {@code https://*.example.com}: {@code .example.com}; for anything else {@code null}. */
    static String wildcardSuffix(String origin) {
        return origin.startsWith("https://*.") && origin.length() > "https://*.".length()
                ? origin.substring("https://*".length())
                : null;
    }

    public boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        if (exact.contains(origin)) {
            return true;
        }
        for (String suffix : wildcardSuffixes) {
            if (matchesOneLabel(origin, suffix)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code origin} is {@code https://<label><suffix>} with one non-empty, dot-free label. */
    static boolean matchesOneLabel(String origin, String suffix) {
        int labelStart = "https://".length();
        int labelEnd = origin.length() - suffix.length();
        if (labelEnd <= labelStart || !origin.startsWith("https://") || !origin.endsWith(suffix)) {
            return false;
        }
        for (int i = labelStart; i < labelEnd; i++) {
            char c = origin.charAt(i);
            if (c == '.' || c == '/' || c == ':' || c == '@') {
                return false;
            }
        }
        return true;
    }

    public List<String> source() {
        return source;
    }

    public boolean isEmpty() {
        return source.isEmpty();
    }
}
