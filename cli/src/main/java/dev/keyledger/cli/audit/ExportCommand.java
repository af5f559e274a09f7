package dev.keyledger.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.console.Progress;
import dev.keyledger.cli.http.Arguments;
import dev.keyledger.cli.http.ConnectionOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger audit export --org ORG [--from] [--to] -o FILE}: streams
 * {@code GET .../audit-log/export} to a file as it arrives (constant memory), with a progress line
 * on stderr. The file appears only when the stream ended with its checkpoint: it is written to
 * {@code FILE.part} and moved into place, so a cut download never looks like an export.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Download an organization's signed audit export (NDJSON, entries in seq order, the signed checkpoint"
                    + " last) for the half-open range [--from, --to) of occurred_at.",
            "Needs org_admin of the organization or platform_admin. Verify it with 'keyledger audit verify FILE'."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written",
            "2:usage error, FILE cannot be written",
            "3:service or network error, or the stream ended without its checkpoint",
            "4:not signed in or not allowed"
        })
public final class ExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TAIL = 1 << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "organization id (org_...)")
    String organization;

    @Option(names = "--from", paramLabel = "INSTANT", description = "first occurred_at included (ISO-8601)")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "occurred_at excluded from here on (ISO-8601)")
    String to;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "where to write the export; - for stdout")
    String output;

    @Option(
            names = "--progress",
            negatable = true,
            description = "draw the progress line on stderr (default: only when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() {
        String org = Arguments.id(organization, "--org");
        List<String> query = new ArrayList<>();
        Instant start = from == null ? null : Arguments.instant(from, "--from");
        Instant end = to == null ? null : Arguments.instant(to, "--to");
        if (start != null && end != null && !start.isBefore(end)) {
            throw CliFailure.usage("--from must be before --to");
        }
        if (start != null) {
            query.add("from=" + Arguments.query(start.toString()));
        }
        if (end != null) {
            query.add("to=" + Arguments.query(end.toString()));
        }
        boolean toStdout = output.equals("-");
        Path target = toStdout ? null : Path.of(output).toAbsolutePath();
        Path part = toStdout ? null : target.resolveSibling(target.getFileName() + ".part");
        String path = "/api/v1/organizations/" + org + "/audit-log/export"
                + (query.isEmpty() ? "" : "?" + String.join("&", query));
        HttpResponse<InputStream> response = connection.queryService().stream(path, "application/x-ndjson");
        PrintWriter err = spec.commandLine().getErr();
        Progress bar = Progress.on(err, progress);
        Copy copy;
        try (InputStream body = response.body();
                OutputStream out = toStdout ? nonClosing(System.out) : Files.newOutputStream(part)) {
            copy = copy(body, out, bar);
        } catch (IOException e) {
            bar.done();
            deleteQuietly(part);
            if (e instanceof java.nio.file.FileSystemException) {
                throw CliFailure.usage("cannot write " + output + ": " + e.getMessage());
            }
            throw new CliFailure(ExitCodes.SERVICE, "keyledger: the export stream broke off: " + e.getMessage());
        }
        bar.force();
        bar.count(status(copy, 0));
        bar.done();
        JsonNode checkpoint = copy.checkpoint();
        if (checkpoint == null) {
            deleteQuietly(part);
            throw new CliFailure(
                    ExitCodes.SERVICE,
                    "keyledger: the export stream ended without its checkpoint after "
                            + Progress.thousands(copy.lines()) + " lines (cut short by the service or the network)"
                            + (toStdout ? "" : "; " + output + " not written"));
        }
        if (!toStdout) {
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteQuietly(part);
                throw CliFailure.usage("cannot write " + output + ": " + e.getMessage());
            }
        }
        String summary = String.format(
                Locale.ROOT,
                "exported %s entries (%s) of %s to %s",
                Progress.thousands(checkpoint.path("count").asLong(copy.lines() - 1)),
                Progress.bytes(copy.bytes()),
                org,
                toStdout ? "stdout" : output);
        // With -o - stdout is the export itself: the summary goes to stderr.
        PrintWriter report = toStdout ? err : spec.commandLine().getOut();
        report.println(summary);
        report.flush();
        return ExitCodes.OK;
    }

    /** What was copied: lines, bytes, and the last line parsed when it is a checkpoint. */
    private record Copy(long lines, long bytes, JsonNode checkpoint) {}

    private static Copy copy(InputStream in, OutputStream out, Progress bar) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        // The line being read and the last complete one, to find the checkpoint at the end.
        byte[] current = new byte[4096];
        int currentLength = 0;
        byte[] last = new byte[4096];
        int lastLength = 0;
        long lines = 0;
        long bytes = 0;
        long started = System.nanoTime();
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            bytes += n;
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    int len = i - start;
                    if (currentLength + len <= MAX_TAIL) {
                        current = ensure(current, currentLength + len);
                        System.arraycopy(buffer, start, current, currentLength, len);
                        currentLength += len;
                    } else {
                        currentLength = MAX_TAIL + 1;
                    }
                    byte[] swap = last;
                    last = current;
                    lastLength = currentLength;
                    current = swap;
                    currentLength = 0;
                    start = i + 1;
                    lines++;
                }
            }
            int rest = n - start;
            if (rest > 0 && currentLength + rest <= MAX_TAIL) {
                current = ensure(current, currentLength + rest);
                System.arraycopy(buffer, start, current, currentLength, rest);
                currentLength += rest;
            } else if (rest > 0) {
                currentLength = MAX_TAIL + 1;
            }
            if (bar.enabled()) {
                bar.count(status(new Copy(lines, bytes, null), System.nanoTime() - started));
            }
        }
        out.flush();
        // Bytes after the last newline: the stream stopped mid-line.
        if (currentLength > 0) {
            return new Copy(lines, bytes, null);
        }
        return new Copy(lines, bytes, checkpoint(last, lastLength));
    }

    private static JsonNode checkpoint(byte[] line, int length) {
        if (length == 0 || length > MAX_TAIL) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(line, 0, length);
            return json != null && "checkpoint".equals(json.path("type").asText()) ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] ensure(byte[] array, int size) {
        return size <= array.length ? array : java.util.Arrays.copyOf(array, Math.max(size, array.length * 2));
    }

    private static String status(Copy copy, long elapsedNanos) {
        String rate = elapsedNanos <= 0
                ? ""
                : ", " + Progress.thousands(Math.round(copy.lines() / (elapsedNanos / 1e9))) + " lines/s";
        return Progress.thousands(copy.lines()) + " lines, " + Progress.bytes(copy.bytes()) + rate;
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover .part file is harmless and named as such.
        }
    }
}
