package dev.keyledger.command.idempotency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * A client's {@code Idempotency-Key}: 1 to 255 printable ASCII characters (0x20 to 0x7E), sent
 * once. Parsed here, once, before anything else looks at it.
 */
record IdempotencyKey(String value) {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    IdempotencyKey {
        if (!isValid(value)) {
            throw new Invalid(MESSAGE);
        }
    }

    private static final String MESSAGE = "Idempotency-Key must be 1 to 255 printable ASCII characters";

    /**
     * The key of a request from all its {@code Idempotency-Key} header values; empty when there is
     * none.
     *
     * @throws Invalid when the header is sent more than once or its value breaks the rule
     */
    static Optional<IdempotencyKey> of(Enumeration<String> headers) {
        List<String> values = headers == null ? List.of() : new ArrayList<>(Collections.list(headers));
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new Invalid("Idempotency-Key must be sent once");
        }
        return Optional.of(new IdempotencyKey(values.getFirst()));
    }

    private static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** The header breaks the rule; answered 400 {@code VALIDATION_FAILED}. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
