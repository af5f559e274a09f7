package dev.keyledger.cli;

import java.util.List;

/**
 * An expected way for a command to fail: the line(s) to print on stderr and the exit code. Thrown
 * by commands and caught once in {@link KeyledgerCli}; it carries no stack trace because none is
 * ever printed.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;
    private final int httpStatus;
    private final List<String> lines;

    public CliFailure(int exitCode, String... lines) {
        this(exitCode, 0, lines);
    }

    /** A service's refusal: {@code httpStatus} is the status it answered. */
    public CliFailure(int exitCode, int httpStatus, String... lines) {
        super(String.join("\n", lines), null, false, false);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.lines = List.of(lines);
    }

    public static CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, "keyledger: " + message);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status a service answered, 0 when this failure is not a service's answer. */
    public int httpStatus() {
        return httpStatus;
    }

    public List<String> lines() {
        return lines;
    }
}
