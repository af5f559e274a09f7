package dev.keyledger.cli.console;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on stderr, redrawn in place with a carriage return, at most ten times a second.
 * It is drawn only when asked to: when stderr is a terminal, or with {@code --progress}; otherwise
 * every method does nothing, so scripts see clean output on both streams.
 */
public final class Progress {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw;
    private int lastLength;

    private Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /**
     * A progress line that draws when {@code choice} says so, or, without a choice, when stderr is
     * a terminal: the launcher tells ({@code KEYLEDGER_STDERR_TTY=1}, from {@code [ -t 2 ]}); run as
     * {@code java -jar}, a console attached to the process is taken as the sign.
     */
    public static Progress on(PrintWriter err, Boolean choice) {
        return new Progress(err, choice != null ? choice : stderrIsTerminal());
    }

    public boolean enabled() {
        return enabled;
    }

    /** A bar for work of known size. */
    public void bar(double percent, String suffix) {
        if (!due()) {
            return;
        }
        double clamped = Math.max(0, Math.min(100, percent));
        int filled = (int) Math.round(clamped / 100 * BAR_WIDTH);
        draw(String.format(
                Locale.ROOT, "[%s%s] %5.1f%% %s", "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), clamped, suffix));
    }

    /** A counter for work of unknown size. */
    public void count(String text) {
        if (due()) {
            draw(text);
        }
    }

    /** Ends the line so that whatever is printed next starts on a fresh one. */
    public void done() {
        if (enabled && lastLength > 0) {
            err.println();
            err.flush();
            lastLength = 0;
        }
    }

    /** Draws the next update whatever the time since the last one (the final state). */
    public void force() {
        lastDraw = 0;
    }

    private boolean due() {
        if (!enabled) {
            return false;
        }
        long now = System.nanoTime();
        if (lastDraw != 0 && now - lastDraw < REDRAW_NANOS) {
            return false;
        }
        lastDraw = now;
        return true;
    }

    private void draw(String line) {
        String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
        err.print("\r" + padded);
        err.flush();
        lastLength = line.length();
    }

    private static boolean stderrIsTerminal() {
        String told = System.getenv("KEYLEDGER_STDERR_TTY");
        if (told != null) {
            return told.equals("1");
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // Java 22+ returns a console even when redirected; isTerminal() then tells.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException java21) {
            return true;
        }
    }

    /** 1234567 as "1,234,567". */
    public static String thousands(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A byte count as "12.3 MB". */
    public static String bytes(long value) {
        if (value < 1024) {
            return value + " B";
        }
        if (value < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", value / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", value / (1024.0 * 1024));
    }
}
