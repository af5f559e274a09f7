package dev.keyledger.edge.keys;

import dev.keyledger.contracts.value.InvalidValueException;
import dev.keyledger.contracts.value.OriginPattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A database's allowed origins as the hot path matches them, built once when a changelog record
 * enters the table. The grammar is {@link OriginPattern}'s (shared with the command-service); this
 * class only precomputes: exact origins in a set, wildcard patterns in an array. Matching is a set
 * lookup plus, per wildcard, {@link OriginPattern#matches}, which allocates nothing. An entry that
 * is not a valid pattern (only possible with a record written by something other than the read
 * side) is dropped, so it can never match. Immutable.
 */
public final class AllowedOrigins {

    public static final AllowedOrigins NONE = new AllowedOrigins(List.of());

    /** Canonical values of the valid entries, in their order: the keys of the preflight index. */
    private final List<String> source;

    private final Set<String> exact;
    private final OriginPattern[] wildcards;

    AllowedOrigins(List<String> origins) {
        Set<String> canonical = new LinkedHashSet<>();
        Set<String> exactValues = new HashSet<>();
        List<OriginPattern> patterns = new ArrayList<>();
        for (String origin : origins) {
            OriginPattern pattern;
            try {
                pattern = OriginPattern.parse(origin);
            } catch (InvalidValueException e) {
                continue;
            }
            if (canonical.add(pattern.value())) {
                if (pattern.isWildcard()) {
                    patterns.add(pattern);
                } else {
                    exactValues.add(pattern.value());
                }
            }
        }
        this.source = List.copyOf(canonical);
        this.exact = Set.copyOf(exactValues);
        this.wildcards = patterns.toArray(OriginPattern[]::new);
    }

    /** True when a browser's {@code Origin} value is allowed. Allocation free. */
    public boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        if (exact.contains(origin)) {
            return true;
        }
        for (OriginPattern wildcard : wildcards) {
            if (wildcard.matches(origin)) {
                return true;
            }
        }
        return false;
    }

    /** The canonical values of the allowed origins and patterns. */
    public List<String> source() {
        return source;
    }

    public boolean isEmpty() {
        return source.isEmpty();
    }
}
