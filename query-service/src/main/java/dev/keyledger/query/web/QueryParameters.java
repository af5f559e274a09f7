package dev.keyledger.query.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Parsing of query parameters into values or a 400 naming the parameter. */
public final class QueryParameters {

    private QueryParameters() {}

    /** {@code null} when absent; a 400 unless an ISO-8601 instant. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
    }

    /** {@code null} when absent; a 400 unless one of {@code allowed}. */
    public static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw ApiException.badRequest(
                    name,
                    "must be one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    /** A 400 when both bounds are given and {@code from} is after {@code to}. */
    public static void range(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.badRequest("from", "must not be after to");
        }
    }
}
