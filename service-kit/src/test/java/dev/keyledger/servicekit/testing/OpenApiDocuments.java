package dev.keyledger.servicekit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The committed OpenAPI documents under {@code docs/openapi/}: the comparison with the served one
 * (equal text, or a failure that shows the first differing line and the command that regenerates
 * the file; {@code -Dkeyledger.openapi.update=true} writes the served document), and the lint.
 */
public final class OpenApiDocuments {

    public static final String UPDATE_PROPERTY = "keyledger.openapi.update";

    private OpenApiDocuments() {}

    /** {@code docs/openapi} of the repository, found upwards from the module's directory. */
    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("openapi");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "docs/openapi/package.json not found above " + Path.of("").toAbsolutePath());
    }

    public static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** Fails unless {@code served} is the text of {@code file}, or writes it there in update mode. */
    public static void compareOrUpdate(String served, Path file, String updateCommand) throws IOException {
        String expected = normalize(served);
        if (updating()) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
            return;
        }
        String committed = Files.exists(file) ? normalize(Files.readString(file, StandardCharsets.UTF_8)) : "";
        if (committed.equals(expected)) {
            return;
        }
        List<String> want = expected.lines().toList();
        List<String> have = committed.lines().toList();
        int line = 0;
        while (line < want.size() && line < have.size() && want.get(line).equals(have.get(line))) {
            line++;
        }
        fail(
                "%s is not the document the service serves at /v3/api-docs (first difference at line %d:"
                        + " committed %s, served %s). If the API change is intended, regenerate the file with%n  %s%n"
                        + "and commit it.",
                file,
                line + 1,
                line < have.size() ? "'" + have.get(line).strip() + "'" : "<end of file>",
                line < want.size() ? "'" + want.get(line).strip() + "'" : "<end of document>",
                updateCommand);
    }

    /**
     * Fails unless the committed {@code file} passes {@code @redocly/cli lint} with the recommended
     * rules ({@code docs/openapi/redocly.yaml}) without an error. Needs Node.js and {@code npm ci}
     * in {@code docs/openapi} (.ci/run does both); without them the calling test is skipped and
     * says why.
     */
    public static void assertRedoclyLintPasses(String file) throws IOException, InterruptedException {
        Path dir = directory();
        Path cli = dir.resolve("node_modules/@redocly/cli/bin/cli.js");
        assumeTrue(
                Files.isRegularFile(cli),
                "@redocly/cli is not installed: run `npm ci` in " + dir + " (needs Node.js and npm)");
        assumeTrue(commandWorks("node", "--version"), "node is not on the PATH");
        Path output = Files.createTempFile("redocly-lint", ".txt");
        ProcessBuilder builder = new ProcessBuilder(
                        List.of("node", cli.toString(), "lint", "--config", "redocly.yaml", file))
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
        assertThat(lint.exitValue()).as("redocly lint of %s:%n%s", file, report).isZero();
    }

    private static boolean commandWorks(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").stripTrailing() + "\n";
    }
}
