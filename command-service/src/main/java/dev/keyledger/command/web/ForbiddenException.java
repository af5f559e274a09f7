package dev.keyledger.command.web;

/** The caller is authenticated but lacks the role or organization for the call (403). */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
