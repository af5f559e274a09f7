package dev.keyledger.command.web;

import java.util.List;

/** Bad input, answered 400 VALIDATION_FAILED with the offending fields. */
public class ValidationException extends IllegalArgumentException {

    private final transient List<ErrorResponse.FieldError> details;

    public ValidationException(List<ErrorResponse.FieldError> details) {
        super("validation failed");
        this.details = List.copyOf(details);
    }

    public ValidationException(String field, String message) {
        this(List.of(new ErrorResponse.FieldError(field, message)));
    }

    public List<ErrorResponse.FieldError> details() {
        return details;
    }
}
