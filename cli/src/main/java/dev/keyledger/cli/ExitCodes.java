package dev.keyledger.cli;

/** The exit codes every subcommand uses; listed in {@code keyledger --help} and docs/cli.md. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The export did not verify, or a rebuild ended in {@code failed}. */
    public static final int FAILED = 1;
    /** Unknown option, missing or malformed argument, an input file that cannot be read. */
    public static final int USAGE = 2;
    /** A service could not be reached or answered an error other than 401/403. */
    public static final int SERVICE = 3;
    /** HTTP 401 or 403, or a token endpoint that refused the client. */
    public static final int AUTH = 4;

    private ExitCodes() {}

    static int of(Throwable exception) {
        if (exception instanceof CliFailure failure) {
            return failure.exitCode();
        }
        if (exception instanceof picocli.CommandLine.ParameterException) {
            return USAGE;
        }
        return SERVICE;
    }
}
