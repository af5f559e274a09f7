package dev.keyledger.query.openapi;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed OpenAPI documents under {@code docs/openapi/}, and the comparison with the served
 * one: equal text, or a failure that shows the first differing line and the command that
 * regenerates the file ({@code -Dkeyledger.openapi.update=true} writes the served document).
 */
final class OpenApiDocuments {

    static final String UPDATE_PROPERTY = "keyledger.openapi.update";

    private OpenApiDocuments() {}

    /** {@code docs/openapi} of the repository, found upwards from the module's directory. */
    static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("openapi");
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "docs/openapi/package.json not found above " + Path.of("").toAbsolutePath());
    }

    static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** Fails unless {@code served} is the text of {@code file}, or writes it there in update mode. */
    static void compareOrUpdate(String served, Path file, String updateCommand) throws IOException {
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

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").stripTrailing() + "\n";
    }
}
