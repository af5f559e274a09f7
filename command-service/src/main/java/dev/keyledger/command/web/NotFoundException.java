package dev.keyledger.command.web;

/**
 * An unknown resource, or one of another organization: both are answered 404 the same way, so a
 * caller cannot learn whether an id exists elsewhere. Aggregates throw it when a command names an
 * organization the aggregate does not belong to.
 */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
