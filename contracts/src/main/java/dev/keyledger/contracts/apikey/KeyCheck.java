package dev.keyledger.contracts.apikey;

/**
 * Outcome of the offline format check of a presented key. A value, not an exception, because the
 * edge runs this check on every request and most bad keys are ordinary traffic.
 */
public enum KeyCheck {
    VALID_SECRET,
    VALID_PUBLIC,
    /** Absent, wrong length, unknown prefix or a character outside base62. */
    MALFORMED,
    /** Well formed, but the checksum does not match: a typo or a forgery. */
    BAD_CHECKSUM;

    public boolean isValid() {
        return this == VALID_SECRET || this == VALID_PUBLIC;
    }

    public ApiKeyType type() {
        return switch (this) {
            case VALID_SECRET -> ApiKeyType.SECRET;
            case VALID_PUBLIC -> ApiKeyType.PUBLIC;
            default -> throw new IllegalStateException("no type for " + this);
        };
    }
}
