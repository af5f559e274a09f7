/**
 * The {@code keyledger} operator command line (picocli): {@code audit verify} and
 * {@code audit export}, {@code keys valid-at} and {@code keys history}, {@code rebuild}, and
 * {@code auth token} for scripts. Each subcommand lives in its feature package; this package holds
 * the entry point, the exit codes and the one failure type, {@link dev.keyledger.cli.CliFailure},
 * which the entry point turns into a line on stderr and an exit code. Commands run on the main
 * thread; nothing is shared between invocations.
 */
package dev.keyledger.cli;
