package dev.keyledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/keyledger}, the launcher, run as a process: with the jar it answers {@code --help};
 * without a JDK 21+ or without the jar it says so and exits 127, building nothing.
 */
class LauncherTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = ROOT.resolve("bin/keyledger");
    private static final Path JAR = ROOT.resolve("cli/target/keyledger-cli.jar");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("the launcher ended")
                .isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void answersHelpThroughTheJar() throws Exception {
        // The jar is built by `package`, after this test phase: only a second build has it.
        assumeTrue(Files.exists(JAR), "cli/target/keyledger-cli.jar is built (run after `package`)");

        Run run = launch(Map.of("JAVA_HOME", System.getProperty("java.home")), "--help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: keyledger").contains("audit").contains("Exit codes:");
    }

    @Test
    void saysHowToBuildTheJarWhenItIsMissing() throws Exception {
        Run run = launch(
                Map.of(
                        "JAVA_HOME",
                        System.getProperty("java.home"),
                        "KEYLEDGER_CLI_JAR",
                        dir.resolve("none.jar").toString()),
                "--help");

        assertThat(run.exit()).isEqualTo(127);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("is not built").contains("./mvnw");
    }

    @Test
    void saysSoWhenThereIsNoJdk21() throws Exception {
        // No JAVA_HOME JDK, an empty JDK directory, and a PATH with at most an older java.
        Path empty = Files.createDirectories(dir.resolve("jvm"));

        Run run = launch(
                Map.of("JAVA_HOME", empty.toString(), "KEYLEDGER_JVM_DIR", empty.toString(), "PATH", "/usr/bin:/bin"),
                "--help");

        assertThat(run.exit()).isEqualTo(127);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("needs a JDK 21 or newer");
    }
}
