package dev.keyledger.contracts.value;

/**
 * The rule {@link DisplayName} and {@link Reason} share: leading and trailing white space removed,
 * then 1 to a limit of Unicode code points, not only spaces, and free of control, format,
 * private-use, unassigned (which includes noncharacters) and lone surrogate code points and of line
 * and paragraph separators. Only the limit differs between the two, so the check lives here once;
 * each type keeps its own class, limit and documentation.
 */
final class BoundedText {

    private BoundedText() {}

    /**
     * {@code raw}, stripped, or an {@link InvalidValueException} with the fixed message of the first
     * part of the rule it fails (never echoing the input).
     */
    static String parse(String raw, int maxCodePoints) {
        if (raw == null) {
            throw new InvalidValueException("is required");
        }
        String text = raw.strip();
        int count = 0;
        boolean visible = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!allowed(codePoint)) {
                throw new InvalidValueException("contains a forbidden character (control, format, private-use,"
                        + " unassigned, lone surrogate or line separator)");
            }
            if (++count > maxCodePoints) {
                throw new InvalidValueException("must be at most " + maxCodePoints + " characters");
            }
            visible |= !Character.isSpaceChar(codePoint);
            i += Character.charCount(codePoint);
        }
        if (!visible) {
            throw new InvalidValueException("must not be blank");
        }
        return text;
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
}
