package dev.keyledger.cli.audit;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keyledger audit}: the signed, hash-chained audit export. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Export an organization's signed audit log, and verify an export offline.",
        subcommands = {VerifyCommand.class, ExportCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
