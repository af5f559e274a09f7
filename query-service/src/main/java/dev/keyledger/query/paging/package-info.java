/**
 * Keyset paging of the read API's lists: {@link dev.keyledger.query.paging.PageCursors} parses
 * {@code limit} and issues and checks the opaque, signed {@code cursor} values, and {@link
 * dev.keyledger.query.paging.CursorPage} is the {@code {"data", "next_cursor", "prev_cursor"}}
 * answer. The readers of each list (apikey, audit) own their sort orders and SQL.
 */
package dev.keyledger.query.paging;
