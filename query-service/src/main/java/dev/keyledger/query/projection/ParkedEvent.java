package dev.keyledger.query.projection;

/**
 * One record of {@code keyledger.key-events} the projection could not apply, as the table
 * {@code projection_parked_events} keeps it. The envelope fields are null when the record could not
 * be read at all; {@code payload} is the record value as it came.
 */
record ParkedEvent(
        String topic,
        int partition,
        long offset,
        String aggregateId,
        Long sequence,
        String type,
        String error,
        byte[] payload,
        boolean tombstonePublished) {}
