package dev.keyledger.cli.auth;

import picocli.CommandLine.Command;

/** {@code keyledger auth}: sign-in for scripts. */
@Command(
        name = "auth",
        mixinStandardHelpOptions = true,
        description = "Sign in for scripts (OAuth 2.0 client credentials).",
        subcommands = TokenCommand.class)
public final class AuthCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
