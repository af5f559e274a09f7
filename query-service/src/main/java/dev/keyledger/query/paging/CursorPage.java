package dev.keyledger.query.paging;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of a list: {@code {"data":[...],"next_cursor":...,"prev_cursor":...}}. A cursor is
 * {@code null} when there is no page in that direction.
 *
 * @param data the rows of this page, in the list's order
 * @param nextCursor the cursor of the page after this one
 * @param prevCursor the cursor of the page before this one
 */
public record CursorPage<T>(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<T> data,

        @Schema(
                types = {"string", "null"},
                description = "Cursor of the next page; null on the last",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String nextCursor,

        @Schema(
                types = {"string", "null"},
                description = "Cursor of the previous page; null on the first",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String prevCursor) {}
