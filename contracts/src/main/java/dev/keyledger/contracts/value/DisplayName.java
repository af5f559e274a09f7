package dev.keyledger.contracts.value;

/**
 * The name of an organization, database or key as people read it in the portal, the audit log and
 * log lines. Rule: leading and trailing white space is removed; what remains is 1 to {@value
 * #MAX_CODE_POINTS} Unicode code points, not only spaces, and free of control characters (NUL,
 * tab, newline, escape, DEL, C1), format characters (bidi overrides, zero-width characters),
 * private-use, unassigned and noncharacter code points, lone surrogates, and line or paragraph
 * separators. Those could break a log line or make two names look alike; everything else is kept
 * as typed (no case folding or Unicode normalisation). A backslash is an ordinary character: every
 * writer passes names as typed parameters or JSON strings, so it needs no special treatment.
 *
 * <p>A valid name is valid UTF-16 and contains no NUL, so it fits a PostgreSQL {@code text}
 * column and a JSON string unchanged.
 */
public final class DisplayName {

    public static final int MAX_CODE_POINTS = 100;

    private final String value;

    private DisplayName(String value) {
        this.value = value;
    }

    /** The name, trimmed, or an {@link InvalidValueException} saying which part of the rule fails. */
    public static DisplayName parse(String raw) {
        return new DisplayName(BoundedText.parse(raw, MAX_CODE_POINTS));
    }

    /** True when {@code raw} is a valid name as given (already trimmed). */
    public static boolean isValid(String raw) {
        try {
            return parse(raw).value.equals(raw);
        } catch (InvalidValueException e) {
            return false;
        }
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DisplayName name && name.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
