package dev.keyledger.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.console.Progress;
import dev.keyledger.cli.http.ConnectionOptions;
import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.audit.ExportVerifier;
import dev.keyledger.contracts.audit.JwkSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger audit verify FILE}: checks an export's hash chain and signed checkpoint with
 * {@link ExportVerifier} (contracts), streaming the file once. Prints {@code verified N entries}
 * on stdout and exits 0, or {@code line L: <reason>: <detail>} on stderr and exits 1. With a key
 * file it needs no network.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify an audit export offline: every entry's hash (SHA-256 of its RFC 8785 canonical JSON),"
                    + " the chain of prev_hash and seq, and the Ed25519-signed checkpoint on the last line.",
            "Prints 'verified N entries' on stdout, or 'line L: <reason>' on stderr for the first bad line."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:verified",
            "1:verification failed: hash mismatch, broken chain, bad signature, unknown key, count or head"
                    + " mismatch, truncated, malformed line, checkpoint mismatch",
            "2:usage error, FILE or the key set cannot be read",
            "3:the key set URL could not be fetched"
        })
public final class VerifyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the export (NDJSON), or - for stdin")
    String file;

    @Option(
            names = "--keys",
            paramLabel = "JWKS_FILE_OR_URL",
            description = "the trusted signing keys: a JWK set file (no network) or URL; default: the"
                    + " query-service's " + SigningKeys.PATH + " at --query-url")
    String keys;

    @Option(
            names = "--checkpoints",
            paramLabel = "FILE",
            description = "earlier checkpoints (NDJSON, one per line, e.g. kept from"
                    + " keyledger.audit-checkpoints or earlier exports): each entry at a checkpoint's last_seq"
                    + " must have its head, so a history rewritten since is caught")
    Path checkpoints;

    @Option(
            names = "--query-url",
            paramLabel = "URL",
            defaultValue = "${env:KEYLEDGER_QUERY_URL:-http://localhost:8082}",
            description = "where the signing keys are fetched without --keys (env KEYLEDGER_QUERY_URL;"
                    + " default: ${DEFAULT-VALUE})")
    String queryUrl;

    @Option(
            names = "--progress",
            negatable = true,
            description = "draw a progress bar on stderr (default: only when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() {
        JwkSet trusted = SigningKeys.load(
                keys != null ? keys : ConnectionOptions.baseUrl(queryUrl, "--query-url") + SigningKeys.PATH,
                Duration.ofSeconds(30));
        Map<String, PublicKey> byKid = trusted.byKid();
        Map<Long, String> heads = checkpoints == null ? Map.of() : knownHeads(byKid);
        ExportVerifier verifier = new ExportVerifier(byKid, heads);
        PrintWriter err = spec.commandLine().getErr();
        Progress bar = Progress.on(err, progress);
        long size = size();
        ExportVerifier.Result result;
        long started = System.nanoTime();
        try (InputStream in = open()) {
            InputStream counted = bar.enabled()
                    ? new CountingInputStream(
                            in, read -> bar.bar(size > 0 ? 100.0 * read / size : 0, Progress.bytes(read)))
                    : in;
            result = verifier.verify(counted);
        } catch (IOException e) {
            bar.done();
            throw CliFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
        bar.done();
        if (!result.verified()) {
            err.println(result.message());
            err.flush();
            return ExitCodes.FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.message());
        out.flush();
        if (bar.enabled()) {
            double seconds = (System.nanoTime() - started) / 1e9;
            err.printf(
                    java.util.Locale.ROOT,
                    "%.2f s, %s entries/s%n",
                    seconds,
                    Progress.thousands(Math.round(result.entries() / Math.max(seconds, 1e-9))));
            err.flush();
        }
        return ExitCodes.OK;
    }

    private InputStream open() {
        if (file.equals("-")) {
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // stdin stays open: it is not this command's to close.
                }
            };
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw CliFailure.usage(file + ": no such file");
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private long size() {
        if (file.equals("-")) {
            return -1;
        }
        try {
            return Files.size(Path.of(file));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The heads of the earlier checkpoints of the export's organization, by last seq, each checked
     * against the trusted keys first: a checkpoint that does not verify is a failure, not ignored.
     */
    private Map<Long, String> knownHeads(Map<String, PublicKey> byKid) {
        if (file.equals("-")) {
            throw CliFailure.usage("--checkpoints needs FILE, not stdin (the export's organization is read first)");
        }
        String organization = firstOrganization();
        Map<Long, String> heads = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(checkpoints, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                AuditCheckpoint checkpoint;
                JsonNode json;
                try {
                    json = JSON.readTree(line);
                    checkpoint = AuditCheckpoint.parse(json);
                } catch (IOException | IllegalArgumentException e) {
                    throw failedCheckpoint(number, "malformed line");
                }
                PublicKey key = byKid.get(checkpoint.keyId());
                if (key == null) {
                    throw failedCheckpoint(number, "unknown key: no public key with key_id " + checkpoint.keyId());
                }
                if (!AuditCheckpoint.verifySignature(json, key)) {
                    throw failedCheckpoint(number, "bad signature");
                }
                if (checkpoint.lastSeq() != null && checkpoint.organizationId().equals(organization)) {
                    String earlier = heads.put(checkpoint.lastSeq(), checkpoint.head());
                    if (earlier != null && !earlier.equals(checkpoint.head())) {
                        throw failedCheckpoint(
                                number, "checkpoint mismatch: two signed heads for seq " + checkpoint.lastSeq());
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw CliFailure.usage("--checkpoints " + checkpoints + ": no such file");
        } catch (IOException e) {
            throw CliFailure.usage("cannot read --checkpoints " + checkpoints + ": " + e.getMessage());
        }
        return heads;
    }

    private CliFailure failedCheckpoint(long line, String reason) {
        return new CliFailure(ExitCodes.FAILED, "checkpoints line " + line + ": " + reason);
    }

    /** The organization of the export's first line (an entry, or the checkpoint of an empty export). */
    private String firstOrganization() {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            JsonNode organization = first == null ? null : JSON.readTree(first).get("organization_id");
            return organization == null ? null : organization.asText();
        } catch (IOException e) {
            // The verification itself reports what is wrong with the first line.
            return null;
        }
    }
}
