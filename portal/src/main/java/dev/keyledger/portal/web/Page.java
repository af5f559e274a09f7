package dev.keyledger.portal.web;

import java.util.List;

/**
 * One page of a list, numbered from 1.
 *
 * @param rows the rows of this page
 * @param number this page's number
 * @param hasPrevious whether a {@code Previous} link applies
 * @param hasNext whether a {@code Next} link applies
 */
public record Page<T>(List<T> rows, int number, boolean hasPrevious, boolean hasNext, int total) {

    /** Cuts page {@code number} (clamped to the valid range) of {@code size} rows out of {@code all}. */
    public static <T> Page<T> of(List<T> all, int number, int size) {
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int current = Math.min(Math.max(1, number), pages);
        int from = (current - 1) * size;
        List<T> rows = all.subList(from, Math.min(all.size(), from + size));
        return new Page<>(List.copyOf(rows), current, current > 1, current < pages, all.size());
    }
}
