package dev.keyledger.command.web;

/**
 * Display names of organizations, databases and keys: trimmed, 1 to 100 code points, and free of
 * control, format, private-use, unassigned, surrogate and line or paragraph separator characters,
 * which could spoof or break the portal and log lines.
 */
public final class Names {

    public static final int MAX_CODE_POINTS = 100;

    private Names() {}

    /** The trimmed name, or a {@link ValidationException} on {@code field}. */
    public static String require(String field, String raw) {
        if (raw == null) {
            throw new ValidationException(field, "is required");
        }
        String name = raw.strip();
        if (name.isEmpty()) {
            throw new ValidationException(field, "must not be blank");
        }
        int count = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            if (!allowed(codePoint)) {
                throw new ValidationException(field, "contains a forbidden character");
            }
            i += Character.charCount(codePoint);
            count++;
        }
        if (count > MAX_CODE_POINTS) {
            throw new ValidationException(field, "must be at most " + MAX_CODE_POINTS + " characters");
        }
        return name;
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
