package dev.keyledger.query.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committed document passes {@code @redocly/cli lint} with the recommended rules
 * ({@code docs/openapi/redocly.yaml}) without an error. Needs Node.js and {@code npm ci} in
 * {@code docs/openapi} (.ci/run does both); without them the test says so and skips.
 * {@link OpenApiDocumentIntegrationTest} makes sure the committed document is the served one.
 */
class OpenApiLintTest {

    @Test
    void theCommittedDocumentPassesRedoclyLint() throws Exception {
        Path dir = OpenApiDocuments.directory();
        Path cli = dir.resolve("node_modules/@redocly/cli/bin/cli.js");
        assumeTrue(
                Files.isRegularFile(cli),
                "@redocly/cli is not installed: run `npm ci` in " + dir + " (needs Node.js and npm)");
        assumeTrue(commandWorks("node", "--version"), "node is not on the PATH");
        Path output = Files.createTempFile("redocly-lint", ".txt");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        "node",
                        cli.toString(),
                        "lint",
                        "--config",
                        "redocly.yaml",
                        OpenApiDocumentIntegrationTest.FILE))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        builder.environment().put("NO_COLOR", "1");
        Process lint = builder.start();
        assertThat(lint.waitFor(120, TimeUnit.SECONDS))
                .as("redocly lint finished")
                .isTrue();
        String report = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        assertThat(lint.exitValue())
                .as("redocly lint of %s:%n%s", OpenApiDocumentIntegrationTest.FILE, report)
                .isZero();
    }

    private static boolean commandWorks(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
