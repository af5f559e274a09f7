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
        if (raw == null) {
            throw new InvalidValueException("is required");
        }
        String reason = raw.strip();
        int count = 0;
        boolean visible = false;
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            if (!allowed(codePoint)) {
                throw new InvalidValueException("contains a forbidden character (control, format, private-use,"
                        + " unassigned, lone surrogate or line separator)");
            }
            if (++count > MAX_CODE_POINTS) {
                throw new InvalidValueException("must be at most " + MAX_CODE_POINTS + " characters");
            }
            visible |= !Character.isSpaceChar(codePoint);
            i += Character.charCount(codePoint);
        }
        if (!visible) {
            throw new InvalidValueException("must not be blank");
        }
        return new Reason(reason);
    }

    private static boolean allowed(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.SURROGATE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
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
