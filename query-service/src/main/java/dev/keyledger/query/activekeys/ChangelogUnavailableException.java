package dev.keyledger.query.activekeys;

/**
 * The broker did not acknowledge every record of a publish call. Always the infrastructure's
 * fault, never the event's: the caller retries and never parks the event because of it.
 */
public final class ChangelogUnavailableException extends RuntimeException {

    ChangelogUnavailableException(Throwable cause) {
        super("publishing to keyledger.active-keys failed", cause);
    }
}
