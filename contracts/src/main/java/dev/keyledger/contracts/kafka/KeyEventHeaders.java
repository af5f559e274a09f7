package dev.keyledger.contracts.kafka;

/** Header names of records on {@link Topics#KEY_EVENTS}; values are UTF-8 strings. */
public final class KeyEventHeaders {

    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String EVENT_REVISION = "event_revision";

    private KeyEventHeaders() {}
}
