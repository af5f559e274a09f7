package dev.keyledger.cli.keys;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code keyledger keys}: point-in-time and history reads of API keys. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "API keys as they were: valid at an instant, and a key's whole history.",
        subcommands = {ValidAtCommand.class, HistoryCommand.class})
public final class KeysCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
