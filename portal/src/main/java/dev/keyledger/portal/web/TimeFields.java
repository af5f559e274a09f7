package dev.keyledger.portal.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The portal's date and time fields ({@code datetime-local}), read as UTC. */
public final class TimeFields {

    private TimeFields() {}

    /** {@code null} for a blank field; an {@code IllegalArgumentException} for an unreadable one. */
    public static Instant parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(field + " must be a date and time (UTC)");
            }
        }
    }
}
