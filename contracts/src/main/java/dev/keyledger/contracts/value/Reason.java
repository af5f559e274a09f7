package dev.keyledger.contracts.value;

/**
 * Why someone suspended an organization or revoked keys, as typed by a person and shown in the
 * portal and the audit log. Rule: trimmed, 1 to {@value #MAX_CODE_POINTS} code points, not blank,
 * and free of the characters {@link DisplayName} forbids (control, format, private-use, unassigned,
 * lone surrogates, line separators), so it cannot break a log line or an audit export.
 */
public final class Reason {

    public static final int MAX_CODE_POINTS = 500;

    private final String value;

    private Reason(String value) {
        this.value = value;
    }

    /** The reason, trimmed, or an {@link InvalidValueException} saying which part of the rule fails. */
    public static Reason parse(String raw) {
        return new Reason(BoundedText.parse(raw, MAX_CODE_POINTS));
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reason reason && reason.value.equals(value);
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
