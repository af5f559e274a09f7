package dev.keyledger.portal.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** Formatting for templates ({@code ${@fmt.time(...)}}): every time in UTC, to the second. */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FIELD =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    public String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }

    /** A value for a {@code datetime-local} field. */
    public String field(Instant instant) {
        return instant == null ? "" : FIELD.format(instant);
    }

    /** Whole days since {@code instant}. */
    public long ageDays(Instant instant) {
        return instant == null ? 0 : Duration.between(instant, Instant.now()).toDays();
    }
}
