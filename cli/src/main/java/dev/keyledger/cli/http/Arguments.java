package dev.keyledger.cli.http;

import dev.keyledger.cli.CliFailure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Command-line values that go into a URL, checked once here (a bad one is a usage error, exit 2). */
public final class Arguments {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private Arguments() {}

    /** An id for a path segment ({@code org_...}, {@code key_...}): letters, digits, _ and -. */
    public static String id(String value, String what) {
        if (value == null || !ID.matcher(value).matches()) {
            throw CliFailure.usage(what + " must be an id such as org_01J..., not '" + printable(value) + "'");
        }
        return value;
    }

    /** An ISO-8601 instant ({@code 2026-03-01T14:03:00Z}, or with an offset), as UTC. */
    public static Instant instant(String value, String what) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e) {
                throw CliFailure.usage(what + " must be an ISO-8601 instant such as 2026-03-01T14:03:00Z, not '"
                        + printable(value) + "'");
            }
        }
    }

    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
