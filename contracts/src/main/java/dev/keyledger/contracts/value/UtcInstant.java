package dev.keyledger.contracts.value;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Instants as the APIs accept them. Rule: {@code YYYY-MM-DDThh:mm:ss[.f]Z}, with a four-digit year
 * from 0001 to 9999, one to nine fraction digits, an uppercase {@code T} and {@code Z}, and a real
 * calendar date and time. Refused: other offsets ({@code +02:00}, even {@code +00:00}: bodies carry
 * UTC), expanded years ({@code +10000-...}, {@code -1000000000-...}), leap seconds ({@code
 * 23:59:60}, which {@code java.time} would silently turn into {@code :59}), hour 24, dates such as
 * February 30, and anything longer than {@value #MAX_LENGTH} characters. Every accepted instant
 * lies inside PostgreSQL's {@code timestamptz} range and is printed back by {@link
 * Instant#toString()} in the same form.
 */
public final class UtcInstant {

    public static final int MAX_LENGTH = 30;

    private UtcInstant() {}

    /** The instant, or an {@link InvalidValueException} with a fixed message. */
    public static Instant parse(String raw) {
        if (raw == null) {
            throw new InvalidValueException("is required");
        }
        int length = raw.length();
        if (length < 20
                || length > MAX_LENGTH
                || raw.charAt(4) != '-'
                || raw.charAt(7) != '-'
                || raw.charAt(10) != 'T'
                || raw.charAt(13) != ':'
                || raw.charAt(16) != ':'
                || raw.charAt(length - 1) != 'Z') {
            throw invalid();
        }
        int nanos = 0;
        if (length > 20) {
            int digits = length - 21;
            if (raw.charAt(19) != '.' || digits < 1 || digits > 9) {
                throw invalid();
            }
            nanos = digits(raw, 20, 20 + digits);
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(raw, 0, 4);
        if (year < 1) {
            throw invalid();
        }
        try {
            return LocalDateTime.of(
                            year,
                            digits(raw, 5, 7),
                            digits(raw, 8, 10),
                            digits(raw, 11, 13),
                            digits(raw, 14, 16),
                            digits(raw, 17, 19),
                            nanos)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid();
        }
    }

    private static int digits(String raw, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid();
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static InvalidValueException invalid() {
        return new InvalidValueException("must be an ISO-8601 UTC instant such as 2030-01-31T12:00:00Z"
                + " (four-digit year, no offset other than Z, no leap second)");
    }
}
