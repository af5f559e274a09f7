package dev.keyledger.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.cli.KeyledgerCli;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.audit.SigningKey;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyledger audit verify} on exports signed with the contracts signer: untouched exports
 * verify; every kind of tampering fails at the first line it affects, with its reason, exit 1.
 */
class VerifyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigningKey KEY = SigningKey.generate("audit-2026-12");
    private static final SigningKey RETIRED = SigningKey.generate("audit-2026-01");
    private static final SigningKey STRANGER = SigningKey.generate("intruder-1");
    /** Ten entries on lines 1 to 10, the checkpoint on line 11. */
    private static final int N = 10;

    @TempDir
    static Path dir;

    private static Path keys;

    @BeforeAll
    static void keyFile() throws Exception {
        keys = dir.resolve("signing-keys.json");
        Files.writeString(keys, SampleExport.jwks(KEY, RETIRED));
    }

    private static List<String> export() {
        return new ArrayList<>(SampleExport.lines(1, N, AuditChain.GENESIS_PREV_HASH, KEY));
    }

    record Run(int exit, String out, String err) {}

    private static Run verify(List<String> lines) throws Exception {
        return verifyText(String.join("\n", lines) + "\n");
    }

    private static Run verifyText(String text) throws Exception {
        Path file = Files.createTempFile(dir, "export", ".ndjson");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return cli("audit", "verify", file.toString(), "--keys", keys.toString());
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeyledgerCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertFails(Run run, int line, String reason) {
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("line " + line + ": " + reason);
    }

    @Test
    void verifiesAnUntouchedExportWithoutNetwork() throws Exception {
        Run run = verify(export());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("verified 10 entries" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void verifiesAnUntouchedExportOf100000Entries() throws Exception {
        Path file = dir.resolve("large.ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            SampleExport.write(1, 100_000, AuditChain.GENESIS_PREV_HASH, KEY, out);
        }

        Run run = cli("audit", "verify", file.toString(), "--keys", keys.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("verified 100000 entries");
    }

    @Test
    void verifiesALaterRangeThatChainsToItsPredecessor() throws Exception {
        List<String> whole = SampleExport.lines(1, 20, AuditChain.GENESIS_PREV_HASH, KEY);
        String prevOfSeq11 = JSON.readTree(whole.get(9)).get("hash").asText();

        Run run = verify(SampleExport.lines(11, 10, prevOfSeq11, KEY));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("verified 10 entries");
    }

    @Test
    void verifiesAnExportSignedWithARetiredKeyStillInTheSet() throws Exception {
        Run run = verify(SampleExport.lines(1, 3, AuditChain.GENESIS_PREV_HASH, RETIRED));

        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void aChangedFieldIsAHashMismatchAtItsLine() throws Exception {
        List<String> lines = export();
        ObjectNode entry = (ObjectNode) JSON.readTree(lines.get(4));
        ((ObjectNode) entry.get("details")).put("name", "Renamed afterwards");
        lines.set(4, entry.toString());

        assertFails(verify(lines), 5, "hash mismatch");
    }

    @Test
    void aChangedFieldWithItsHashRecomputedBreaksTheChainOnTheNextLine() throws Exception {
        List<String> lines = export();
        ObjectNode entry = (ObjectNode) JSON.readTree(lines.get(4));
        entry.put("type", "api_key.revoked");
        entry.remove("hash");
        entry.put("hash", new AuditChain().hash(entry));
        lines.set(4, entry.toString());

        assertFails(verify(lines), 6, "broken chain");
    }

    @Test
    void aDeletedLineBreaksTheChainWhereItWas() throws Exception {
        List<String> lines = export();
        lines.remove(4);

        assertFails(verify(lines), 5, "broken chain");
    }

    @Test
    void anInsertedCopyBreaksTheChainAtTheInsertedLine() throws Exception {
        List<String> lines = export();
        lines.add(4, lines.get(2));

        assertFails(verify(lines), 5, "broken chain");
    }

    @Test
    void anInsertedForgedEntryBreaksTheChainOnTheLineAfterIt() throws Exception {
        List<String> lines = export();
        String prev = JSON.readTree(lines.get(3)).get("hash").asText();
        ObjectNode forged = SampleExport.entry(5, prev);
        forged.put("hash", new AuditChain().hash(forged));
        lines.add(4, forged.toString());

        assertFails(verify(lines), 6, "broken chain");
    }

    @Test
    void twoSwappedLinesBreakTheChainAtTheFirst() throws Exception {
        List<String> lines = export();
        Collections.swap(lines, 3, 4);

        assertFails(verify(lines), 4, "broken chain");
    }

    @Test
    void aCutTailIsTruncatedAfterTheLastLine() throws Exception {
        List<String> lines = export().subList(0, 7);

        assertFails(verify(lines), 8, "truncated");
    }

    @Test
    void aDownloadCutMidLineIsTruncatedAtThatLine() throws Exception {
        String whole = String.join("\n", export()) + "\n";
        int cut = whole.indexOf('\n', whole.indexOf('\n') * 6) - 40;

        Run run = verifyText(whole.substring(0, cut));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).matches("(?s)line \\d+: truncated.*");
    }

    @Test
    void aCheckpointOfAnotherRangeIsACountMismatch() throws Exception {
        List<String> lines = export();
        List<String> shorter = SampleExport.lines(1, N - 1, AuditChain.GENESIS_PREV_HASH, KEY);
        lines.set(N, shorter.get(N - 1));

        assertFails(verify(lines), 11, "count mismatch");
    }

    @Test
    void aCheckpointOfAnotherHistoryIsAHeadMismatch() throws Exception {
        List<String> lines = export();
        AuditCheckpoint other = AuditCheckpoint.sign(
                SampleExport.ORG, 1L, (long) N, N, "ab".repeat(32), Instant.parse("2026-12-02T03:00:00Z"), KEY);
        lines.set(N, other.toJson().toString());

        assertFails(verify(lines), 11, "head mismatch");
    }

    @Test
    void aCheckpointEditedAfterSigningIsABadSignature() throws Exception {
        List<String> lines = export().subList(0, N - 1);
        lines = new ArrayList<>(lines);
        ObjectNode checkpoint = (ObjectNode) JSON.readTree(export().get(N));
        checkpoint.put("count", N - 1).put("last_seq", N - 1);
        lines.add(checkpoint.toString());

        assertFails(verify(lines), 10, "bad signature");
    }

    @Test
    void aCheckpointSignedWithAnUnknownKeyIsRefused() throws Exception {
        List<String> lines = export();
        List<String> foreign = SampleExport.lines(1, N, AuditChain.GENESIS_PREV_HASH, STRANGER);
        lines.set(N, foreign.get(N));

        assertFails(verify(lines), 11, "unknown key");
    }

    @Test
    void aCheckpointSignedWithAnotherKeyUnderAKnownKeyIdIsABadSignature() throws Exception {
        SigningKey impostor = SigningKey.generate(KEY.keyId());
        List<String> lines = export();
        lines.set(
                N,
                SampleExport.lines(1, N, AuditChain.GENESIS_PREV_HASH, impostor).get(N));

        assertFails(verify(lines), 11, "bad signature");
    }

    @Test
    void aLineThatIsNotJsonIsMalformed() throws Exception {
        List<String> lines = export();
        lines.set(2, "{\"seq\": 3, oops");

        assertFails(verify(lines), 3, "malformed line");
    }

    @Test
    void aLineAfterTheCheckpointIsMalformed() throws Exception {
        List<String> lines = export();
        lines.add(lines.get(0));

        assertFails(verify(lines), 12, "malformed line");
    }

    @Test
    void anEarlierCheckpointCatchesARewrittenHistory() throws Exception {
        // Published before: the checkpoint of seq 1 to 10. Later the whole chain is rebuilt with
        // one entry changed and re-signed with the real key: it verifies on its own, not against it.
        List<String> original = export();
        Path published = dir.resolve("published-checkpoints.ndjson");
        Files.writeString(published, original.get(N) + "\n");
        List<String> rewritten = new ArrayList<>();
        AuditChain chain = new AuditChain();
        String prev = AuditChain.GENESIS_PREV_HASH;
        for (int seq = 1; seq <= N; seq++) {
            ObjectNode entry = SampleExport.entry(seq, prev);
            if (seq == 3) {
                ((ObjectNode) entry.get("details")).put("name", "rewritten");
            }
            prev = chain.hash(entry);
            entry.put("hash", prev);
            rewritten.add(entry.toString());
        }
        rewritten.add(AuditCheckpoint.sign(
                        SampleExport.ORG, 1L, (long) N, N, prev, Instant.parse("2026-12-02T03:00:00Z"), KEY)
                .toJson()
                .toString());
        Path file = dir.resolve("rewritten.ndjson");
        Files.writeString(file, String.join("\n", rewritten) + "\n");

        Run alone = cli("audit", "verify", file.toString(), "--keys", keys.toString());
        Run against = cli(
                "audit", "verify", file.toString(), "--keys", keys.toString(), "--checkpoints", published.toString());

        assertThat(alone.exit()).as(alone.err()).isZero();
        assertFails(against, N, "checkpoint mismatch");
    }

    @Test
    void aMissingFileIsAUsageError() {
        Run run = cli("audit", "verify", dir.resolve("absent.ndjson").toString(), "--keys", keys.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("absent.ndjson: no such file");
    }

    @Test
    void aMissingKeyFileIsAUsageError() throws Exception {
        Path file = Files.createTempFile(dir, "export", ".ndjson");
        Files.writeString(file, String.join("\n", export()) + "\n");

        Run run = cli(
                "audit",
                "verify",
                file.toString(),
                "--keys",
                dir.resolve("none.json").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("none.json: no such file");
    }

    @Test
    void anUnreachableKeyUrlIsAServiceError() throws Exception {
        Path file = Files.createTempFile(dir, "export", ".ndjson");
        Files.writeString(file, String.join("\n", export()) + "\n");

        Run run = cli("audit", "verify", file.toString(), "--query-url", "http://127.0.0.1:1");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("cannot fetch the signing keys").doesNotContain("Exception");
    }
}
