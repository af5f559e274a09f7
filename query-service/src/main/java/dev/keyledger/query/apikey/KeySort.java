package dev.keyledger.query.apikey;

import dev.keyledger.query.paging.PageCursors;
import dev.keyledger.query.web.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The {@code sort} of the key list: a column, ascending, or descending with a leading {@code -};
 * ties are broken by the key id in the same direction, so every order is total and a keyset
 * cursor (sort value, id) names one position. {@code last_used_at} ascending puts never-used keys
 * first (the stalest), descending last: each descending order is exactly its ascending order reversed.
 */
enum KeySort {
    CREATED_AT("created_at", "k.created_at", true),
    NAME("name", "k.name", false),
    LAST_USED_AT("last_used_at", "COALESCE(u.last_used_at, '-infinity'::timestamptz)", true);

    /** The value of a never-used key's {@code last_used_at} in a cursor and in SQL. */
    static final String NEVER = "-infinity";

    private final String parameter;
    private final String expression;
    private final boolean time;

    KeySort(String parameter, String expression, boolean time) {
        this.parameter = parameter;
        this.expression = expression;
        this.time = time;
    }

    /** A sort and its direction, as the {@code sort} parameter names it. */
    record Order(KeySort column, boolean descending) {

        /** Today's order: creation, oldest first. */
        static final Order DEFAULT = new Order(CREATED_AT, false);

        /** {@link #DEFAULT} when absent; a 400 on {@code sort} unless one of the documented values. */
        static Order parse(String value) {
            if (value == null || value.isEmpty()) {
                return DEFAULT;
            }
            boolean descending = value.startsWith("-");
            String name = descending ? value.substring(1) : value;
            for (KeySort column : values()) {
                if (column.parameter.equals(name)) {
                    return new Order(column, descending);
                }
            }
            throw ApiException.badRequest(
                    "sort",
                    "must be one of "
                            + Arrays.stream(values())
                                    .map(c -> c.parameter + ", -" + c.parameter)
                                    .collect(Collectors.joining(", ")));
        }

        String parameter() {
            return (descending ? "-" : "") + column.parameter;
        }

        /** The SQL expression compared and ordered by (before the id). */
        String expression() {
            return column.expression;
        }

        /** The placeholder of a cursor value, typed as the expression is. */
        String placeholder() {
            return column.time ? "CAST(? AS timestamptz)" : "?";
        }

        /** The cursor value of {@code key} for this sort. */
        String valueOf(KeyView key) {
            return switch (column) {
                case CREATED_AT -> key.createdAt().toString();
                case NAME -> key.name();
                case LAST_USED_AT ->
                    key.lastUsedAt() == null ? NEVER : key.lastUsedAt().toString();
            };
        }

        /** A cursor value checked before it reaches SQL (only a leaked cursor key could make it fail). */
        String checked(String value) {
            if (value == null) {
                throw PageCursors.invalid();
            }
            if (column.time && !(column == LAST_USED_AT && NEVER.equals(value))) {
                try {
                    Instant.parse(value);
                } catch (DateTimeException e) {
                    throw PageCursors.invalid();
                }
            }
            return value;
        }
    }
}
