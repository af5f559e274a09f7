package dev.keyledger.cli;

import dev.keyledger.cli.audit.AuditCommand;
import dev.keyledger.cli.auth.AuthCommand;
import dev.keyledger.cli.keys.KeysCommand;
import dev.keyledger.cli.rebuild.RebuildCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code keyledger}: the operator command line of CONTRACT.md, "Operator CLI". Every subcommand
 * answers {@code --help}; exit codes are {@link ExitCodes}. Failures print one line on stderr (the
 * service's error message when a service refused), never a stack trace.
 */
@Command(
        name = "keyledger",
        mixinStandardHelpOptions = true,
        versionProvider = KeyledgerCli.Version.class,
        description = "Keyledger operator command line.",
        subcommands = {AuditCommand.class, KeysCommand.class, RebuildCommand.class, AuthCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:verification failed (audit verify), or the rebuild failed",
            "2:usage error: unknown option, missing or malformed argument, unreadable input file",
            "3:service or network error: unreachable, timeout, an HTTP error other than 401/403",
            "4:authentication or authorisation refused (HTTP 401 or 403, or the token endpoint said no)"
        },
        footerHeading = "%n",
        footer = "Documentation: docs/cli.md")
public final class KeyledgerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /** The configured picocli command line: usage errors exit 2, failures print one line. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new KeyledgerCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(ExitCodes::of);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            PrintWriter stderr = line.getErr();
            if (exception instanceof CliFailure failure) {
                failure.lines().forEach(stderr::println);
            } else {
                // A bug, not an outcome: still one line, never a stack trace.
                stderr.println("keyledger: unexpected error: " + exception);
            }
            stderr.flush();
            return ExitCodes.of(exception);
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            PrintWriter stderr = line.getErr();
            stderr.println("keyledger: " + exception.getMessage());
            stderr.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
            stderr.flush();
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = KeyledgerCli.class.getPackage().getImplementationVersion();
            return new String[] {"keyledger " + (version == null ? "development" : version)};
        }
    }
}
