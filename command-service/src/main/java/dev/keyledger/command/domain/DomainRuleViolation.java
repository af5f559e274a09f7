package dev.keyledger.command.domain;

import dev.keyledger.contracts.value.InvalidValueException;
import java.util.List;
import java.util.function.Function;

/**
 * One or more values break a domain rule. Each {@link Violation} names the field as the API spells
 * it ({@code name}, {@code allowed_origins[2]}, {@code limits.requests_per_minute}) and says which
 * rule fails in a fixed text that never echoes the value. No stack trace: bad input is expected.
 */
public final class DomainRuleViolation extends IllegalArgumentException {

    /** A field and the rule it breaks. */
    public record Violation(String field, String message) {}

    private final transient List<Violation> violations;

    public DomainRuleViolation(List<Violation> violations) {
        super("domain rule violated", null);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public DomainRuleViolation(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    /** Parses a raw value with a value type's parser, naming {@code field} when it fails. */
    public static <T> T parse(String field, String raw, Function<String, T> parser) {
        try {
            return parser.apply(raw);
        } catch (InvalidValueException e) {
            throw new DomainRuleViolation(field, e.getMessage());
        }
    }

    public List<Violation> violations() {
        return violations;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
