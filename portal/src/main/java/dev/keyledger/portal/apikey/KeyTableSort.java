package dev.keyledger.portal.apikey;

import java.util.Map;

/**
 * The sorting links of the API Keys table: the read API's {@code sort} of the current page, and
 * per sortable column ({@code name}, {@code created_at}, {@code last_used_at}) the sort its header
 * link leads to and its {@code aria-sort} state. A column's link reverses its order when the table
 * is sorted by it, and otherwise starts with the order people look for first (names A to Z, the
 * newest keys, the most recently used).
 *
 * @param sort the read API's {@code sort} of this page
 * @param caption the table caption, naming the order
 * @param columns per column: its link's sort and its {@code aria-sort}
 */
record KeyTableSort(String sort, String caption, Map<String, Column> columns) {

    /** The page's default order: newest first, as CONTRACT.md says. */
    static final String DEFAULT = "-created_at";

    /** A header link: the sort it leads to and the column's {@code aria-sort} now. */
    record Column(String next, String state) {}

    private static final Map<String, String> CAPTIONS = Map.of(
            "-created_at", "Secret keys, newest first",
            "created_at", "Secret keys, oldest first",
            "name", "Secret keys by name, A to Z",
            "-name", "Secret keys by name, Z to A",
            "-last_used_at", "Secret keys, most recently used first",
            "last_used_at", "Secret keys, least recently used first (never used ones first)");

    private static final Map<String, String> FIRST_ORDER =
            Map.of("name", "name", "created_at", "-created_at", "last_used_at", "-last_used_at");

    /** The table sorted by {@code sort}, or by {@link #DEFAULT} when it is not one of the six sorts. */
    static KeyTableSort of(String sort) {
        String current = sort != null && CAPTIONS.containsKey(sort) ? sort : DEFAULT;
        String column = current.startsWith("-") ? current.substring(1) : current;
        boolean descending = current.startsWith("-");
        Map<String, Column> columns = new java.util.HashMap<>();
        FIRST_ORDER.forEach((name, first) -> columns.put(
                name,
                name.equals(column)
                        ? new Column(descending ? name : "-" + name, descending ? "descending" : "ascending")
                        : new Column(first, "none")));
        return new KeyTableSort(current, CAPTIONS.get(current), Map.copyOf(columns));
    }
}
