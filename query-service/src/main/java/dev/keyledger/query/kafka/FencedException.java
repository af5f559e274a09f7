package dev.keyledger.query.kafka;

/** A write transaction refused because its process no longer holds the epoch it wrote under. */
public final class FencedException extends RuntimeException {

    public FencedException(String message) {
        super(message);
    }
}
