package dev.keyledger.query.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Set;

/**
 * Parsing of query parameters and path ids into values or a 400 (a 404 for path ids) naming the
 * parameter. Every value is bounded before it reaches SQL: an instant PostgreSQL cannot hold, or a
 * ten-megabyte id, is bad input, never a 500.
 */
public final class QueryParameters {

    /** The earliest instant a read accepts: nothing in Keyledger predates the Unix epoch. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    /** The latest instant a read accepts: the last of year 9999, well inside PostgreSQL's range. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Longer than any ISO-8601 instant with an offset and nanoseconds; longer is refused unparsed. */
    static final int MAX_INSTANT_LENGTH = 64;

    /** Ids are {@code <prefix><ulid>}; the tail is bounded generously so older test ids still parse. */
    static final int MAX_ID_LENGTH = 64;

    private static final String INSTANT_RULE =
            "must be an ISO-8601 time such as 2026-01-31T12:00:00Z between 1970-01-01 and 9999-12-31";

    private QueryParameters() {}

    /**
     * {@code null} when absent; a 400 unless an ISO-8601 instant (a {@code Z} or numeric offset,
     * a leap second {@code :60} read as the second before) from {@link #EARLIEST} to
     * {@link #LATEST}.
     */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_INSTANT_LENGTH) {
            throw ApiException.badRequest(name, INSTANT_RULE);
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest(name, INSTANT_RULE);
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(name, INSTANT_RULE);
        }
        return instant;
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

    /** {@code null} when absent; a 400 unless a well-formed id with {@code prefix} (such as {@code db_}). */
    public static String id(String name, String value, String prefix) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!wellFormedId(value, prefix)) {
            throw ApiException.badRequest(name, "must be an id starting with " + prefix);
        }
        return value;
    }

    /**
     * The path id itself; a 404 unless well formed. No resource can have a malformed id, so the
     * answer is the same as for an unknown one and reveals nothing about the id grammar.
     */
    public static String pathId(String value, String prefix, String notFoundMessage) {
        if (!wellFormedId(value, prefix)) {
            throw ApiException.notFound(notFoundMessage);
        }
        return value;
    }

    /** {@code prefix}, then 1 to {@value #MAX_ID_LENGTH} characters in all of ASCII letters and digits. */
    static boolean wellFormedId(String value, String prefix) {
        if (value == null
                || value.length() <= prefix.length()
                || value.length() > MAX_ID_LENGTH
                || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!alphanumeric) {
                return false;
            }
        }
        return true;
    }
}
