package dev.keyledger.command.domain;

/**
 * An organization, database or key that does not exist, or that belongs to another organization
 * than the command names: both are the same outcome, so nobody can learn whether an id exists in
 * another tenant. No stack trace: it is an expected outcome.
 */
public final class UnknownAggregate extends RuntimeException {

    public UnknownAggregate(String message) {
        super(message, null, false, false);
    }
}
