package dev.keyledger.portal.web;

import java.util.List;

/**
 * One page of a list the read API pages with cursors: its rows, the cursors of the pages before
 * and after it ({@code null} where there is none), and a page number for display only (the read
 * API does not count; the number travels in the links).
 *
 * @param rows the rows of this page
 * @param number this page's number, from 1
 * @param hasPrevious whether a {@code Previous} link applies
 * @param hasNext whether a {@code Next} link applies
 * @param previousCursor the read API's {@code prev_cursor}
 * @param nextCursor the read API's {@code next_cursor}
 * @param empty whether this page has no rows
 */
public record CursorPage<T>(
        List<T> rows,
        int number,
        boolean hasPrevious,
        boolean hasNext,
        String previousCursor,
        String nextCursor,
        boolean empty) {

    /** The page of {@code rows}; its number is 1 when nothing comes before it. */
    public static <T> CursorPage<T> of(List<T> rows, int number, String previousCursor, String nextCursor) {
        int shown = previousCursor == null ? 1 : Math.max(2, number);
        return new CursorPage<>(
                List.copyOf(rows),
                shown,
                previousCursor != null,
                nextCursor != null,
                previousCursor,
                nextCursor,
                rows.isEmpty());
    }

    /**
     * {@code cursor} as a browser sent it, or {@code null} (the first page) unless it looks like
     * a read-API cursor: base64url, bounded. The read API checks the rest (its signature).
     */
    public static String cursor(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > 1024) {
            return null;
        }
        for (int i = 0; i < cursor.length(); i++) {
            char c = cursor.charAt(i);
            boolean base64url =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!base64url) {
                return null;
            }
        }
        return cursor;
    }

    /** A page without rows and without neighbours (a refused filter). */
    public static <T> CursorPage<T> none() {
        return of(List.of(), 1, null, null);
    }
}
