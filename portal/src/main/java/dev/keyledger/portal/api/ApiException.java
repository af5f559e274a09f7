package dev.keyledger.portal.api;

import java.util.List;

/**
 * A refusal from an API, carrying its status and the contract's error body. {@code message} is the
 * API's own text, which never contains a key's plaintext (the APIs never echo one in an error).
 */
public final class ApiException extends RuntimeException {

    /** One invalid field, as the APIs report it. */
    public record FieldError(String field, String message) {}

    private final int status;
    private final String code;
    private final List<FieldError> details;

    public ApiException(int status, String code, String message, List<FieldError> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    /** The message and each field error, as one line for a form. */
    public String describe() {
        StringBuilder text = new StringBuilder(getMessage() == null ? "The request was refused" : getMessage());
        for (FieldError detail : details) {
            text.append("; ").append(detail.field()).append(": ").append(detail.message());
        }
        return text.toString();
    }
}
