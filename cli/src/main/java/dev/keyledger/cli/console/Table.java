package dev.keyledger.cli.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and left-aligned columns two spaces apart, for stdout. */
public final class Table {

    private static final int MAX_CELL = 80;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public void row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row has " + header.size() + " cells");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String cell : cells) {
            row.add(clean(cell));
        }
        rows.add(row);
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, header, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /** Values come from a service: control characters (a terminal escape, say) never reach stdout. */
    private static String clean(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "-";
        }
        String text = cell.replaceAll("\\p{Cntrl}", " ");
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 3) + "..." : text;
    }
}
