package dev.keyledger.contracts.value;

/**
 * A value that breaks its type's rule. The message is a fixed, client-safe text (it never contains
 * the input), so services can answer it as is; the field it belongs to is the caller's to add.
 * No stack trace is captured: this is an expected outcome of bad input, not a fault.
 */
public final class InvalidValueException extends IllegalArgumentException {

    public InvalidValueException(String message) {
        super(message, null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
