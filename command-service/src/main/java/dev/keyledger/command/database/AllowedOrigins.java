package dev.keyledger.command.database;

import dev.keyledger.command.domain.DomainRuleViolation;
import dev.keyledger.contracts.value.InvalidValueException;
import dev.keyledger.contracts.value.OriginPattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The list rule of a database's allowed origins: required (it may be empty), at most {@link
 * #MAX_ORIGINS} entries, each an {@link OriginPattern} (the one grammar, shared with the edge),
 * kept in canonical form and in the given order with duplicates dropped. Every bad entry is
 * reported with its index.
 */
final class AllowedOrigins {

    static final int MAX_ORIGINS = 100;

    private AllowedOrigins() {}

    /** The canonical origins without duplicates, or a {@link DomainRuleViolation} per bad entry. */
    static List<String> validate(List<String> origins) {
        if (origins == null) {
            throw new DomainRuleViolation("allowed_origins", "is required");
        }
        if (origins.size() > MAX_ORIGINS) {
            throw new DomainRuleViolation("allowed_origins", "must have at most " + MAX_ORIGINS + " origins");
        }
        List<DomainRuleViolation.Violation> violations = new ArrayList<>();
        Set<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < origins.size(); i++) {
            try {
                unique.add(OriginPattern.parse(origins.get(i)).value());
            } catch (InvalidValueException e) {
                violations.add(new DomainRuleViolation.Violation("allowed_origins[" + i + "]", e.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            throw new DomainRuleViolation(violations);
        }
        return List.copyOf(unique);
    }
}
