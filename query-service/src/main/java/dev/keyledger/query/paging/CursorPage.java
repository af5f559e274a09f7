package dev.keyledger.query.paging;

import java.util.List;

/**
 * One page of a list: {@code {"data":[...],"next_cursor":...,"prev_cursor":...}}. A cursor is
 * {@code null} when there is no page in that direction.
 *
 * @param data the rows of this page, in the list's order
 * @param nextCursor the cursor of the page after this one
 * @param prevCursor the cursor of the page before this one
 */
public record CursorPage<T>(List<T> data, String nextCursor, String prevCursor) {}
