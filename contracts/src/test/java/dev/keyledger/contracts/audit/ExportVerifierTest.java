package dev.keyledger.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SigningKey KEY = SigningKey.generate("audit-2026-01");
    private static final String ORG = "org_01JTEST";

    /** An export of {@code n} entries from seq {@code first}, chained to {@code prev}, with its checkpoint. */
    static List<String> export(long first, int n, String prev, SigningKey key) {
        AuditChain chain = new AuditChain();
        List<String> lines = new ArrayList<>();
        String previous = prev;
        for (long seq = first; seq < first + n; seq++) {
            ObjectNode entry = JSON.createObjectNode()
                    .put("seq", seq)
                    .put("event_id", "evt-" + seq)
                    .put("organization_id", ORG)
                    .put("aggregate_type", "api_key")
                    .put("aggregate_id", "key_" + seq)
                    .put("sequence", 0)
                    .put("type", "api_key.issued")
                    .put(
                            "occurred_at",
                            Instant.ofEpochSecond(1_700_000_000L + seq).toString());
            entry.putObject("actor")
                    .put("subject", "alice")
                    .put("ip", "127.0.0.1")
                    .putNull("user_agent");
            entry.putObject("details").put("name", "k\u00e9y \"" + seq + "\"");
            entry.put("prev_hash", previous);
            String hash = chain.hash(entry);
            entry.put("hash", hash);
            previous = hash;
            lines.add(entry.toString());
        }
        AuditCheckpoint checkpoint = AuditCheckpoint.sign(
                ORG,
                n == 0 ? null : first,
                n == 0 ? null : first + n - 1,
                n,
                previous,
                Instant.parse("2026-12-02T02:00:00Z"),
                key);
        lines.add(checkpoint.toJson().toString());
        return lines;
    }

    private static ExportVerifier.Result verify(List<String> lines) throws Exception {
        return verify(String.join("\n", lines) + "\n");
    }

    private static ExportVerifier.Result verify(String text) throws Exception {
        return new ExportVerifier(Map.of(KEY.keyId(), KEY.publicKey()))
                .verify(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void verifiesAnUntouchedExport() throws Exception {
        ExportVerifier.Result result = verify(export(1, 50, AuditChain.GENESIS_PREV_HASH, KEY));

        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isEqualTo(50);
        assertThat(result.message()).isEqualTo("verified 50 entries");
        assertThat(result.checkpoint().head()).hasSize(64);
    }

    @Test
    void verifiesAnExportThatStartsAfterSeqOneAndOneWithoutATrailingNewline() throws Exception {
        List<String> lines = export(101, 10, "a".repeat(64), KEY);

        assertThat(verify(lines).verified()).isTrue();
        assertThat(verify(String.join("\n", lines)).verified()).isTrue();
    }

    @Test
    void verifiesAnEmptyRange() throws Exception {
        ExportVerifier.Result result = verify(export(1, 0, AuditChain.GENESIS_PREV_HASH, KEY));

        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isZero();
    }

    @Test
    void failsAtTheLineWhoseFieldChanged() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        lines.set(4, lines.get(4).replace("alice", "mallory"));

        ExportVerifier.Result result = verify(lines);

        assertThat(result.line()).isEqualTo(5);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.HASH_MISMATCH);
        assertThat(result.message()).startsWith("line 5: hash mismatch");
    }

    @Test
    void failsAtTheLineAfterADeletedOne() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        lines.remove(3);

        ExportVerifier.Result result = verify(lines);

        assertThat(result.line()).isEqualTo(4);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.BROKEN_CHAIN);
    }

    @Test
    void failsAtAnInsertedLine() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        lines.add(6, lines.get(2));

        ExportVerifier.Result result = verify(lines);

        assertThat(result.line()).isEqualTo(7);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.BROKEN_CHAIN);
    }

    @Test
    void failsAtTheFirstOfTwoSwappedLines() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        Collections.swap(lines, 2, 7);

        ExportVerifier.Result result = verify(lines);

        assertThat(result.line()).isEqualTo(3);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.BROKEN_CHAIN);
    }

    @Test
    void failsWhenTheTailIsCut() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        List<String> cut = lines.subList(0, 8);

        ExportVerifier.Result result = verify(cut);
        String text = String.join("\n", lines);
        ExportVerifier.Result midLine = verify(text.substring(0, text.length() - 40));

        assertThat(result.line()).isEqualTo(9);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.TRUNCATED);
        assertThat(midLine.line()).isEqualTo(11);
        assertThat(midLine.failure()).isEqualTo(ExportVerifier.Failure.TRUNCATED);
    }

    @Test
    void failsWhenEntriesAreDroppedTogetherWithTheCheckpointReplacedByAStaleOne() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        List<String> shorter = export(1, 9, AuditChain.GENESIS_PREV_HASH, KEY);
        lines.set(10, shorter.get(9));

        ExportVerifier.Result result = verify(lines);

        assertThat(result.line()).isEqualTo(11);
        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.COUNT_MISMATCH);
    }

    @Test
    void failsWhenTheCheckpointIsAlteredOrSignedByAnUnknownKey() throws Exception {
        List<String> lines = export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY);
        List<String> altered = new ArrayList<>(lines);
        altered.set(10, altered.get(10).replace("\"count\":10", "\"count\":11"));
        List<String> foreign = export(1, 10, AuditChain.GENESIS_PREV_HASH, SigningKey.generate("other"));
        List<String> forged = new ArrayList<>(lines);
        ObjectNode checkpoint = (ObjectNode) JSON.readTree(lines.get(10));
        checkpoint.put("signature", SigningKey.generate(KEY.keyId()).sign(new byte[] {1}));
        forged.set(10, checkpoint.toString());

        assertThat(verify(altered).failure()).isEqualTo(ExportVerifier.Failure.BAD_SIGNATURE);
        assertThat(verify(altered).line()).isEqualTo(11);
        assertThat(verify(foreign).failure()).isEqualTo(ExportVerifier.Failure.UNKNOWN_KEY);
        assertThat(verify(foreign).line()).isEqualTo(11);
        assertThat(verify(forged).failure()).isEqualTo(ExportVerifier.Failure.BAD_SIGNATURE);
    }

    @Test
    void failsWhenTheHeadIsNotTheLastEntrysHash() throws Exception {
        List<String> lines = export(1, 3, AuditChain.GENESIS_PREV_HASH, KEY);
        ObjectNode checkpoint = (ObjectNode) JSON.readTree(lines.get(3));
        AuditCheckpoint wrongHead = AuditCheckpoint.sign(
                ORG,
                1L,
                3L,
                3,
                "b".repeat(64),
                Instant.parse(checkpoint.get("signed_at").asText()),
                KEY);
        lines.set(3, wrongHead.toJson().toString());

        ExportVerifier.Result result = verify(lines);

        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.HEAD_MISMATCH);
        assertThat(result.line()).isEqualTo(4);
    }

    @Test
    void failsAtAFirstEntryWithSeqOneThatDoesNotStartFromZeros() throws Exception {
        ExportVerifier.Result result = verify(export(1, 3, "c".repeat(64), KEY));

        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.BROKEN_CHAIN);
        assertThat(result.line()).isEqualTo(1);
    }

    @Test
    void failsOnGarbageAndOnLinesAfterTheCheckpoint() throws Exception {
        List<String> lines = export(1, 3, AuditChain.GENESIS_PREV_HASH, KEY);
        List<String> garbage = new ArrayList<>(lines);
        garbage.set(1, "{not json");
        List<String> trailing = new ArrayList<>(lines);
        trailing.add(lines.get(0));

        assertThat(verify(garbage).failure()).isEqualTo(ExportVerifier.Failure.MALFORMED);
        assertThat(verify(garbage).line()).isEqualTo(2);
        assertThat(verify(trailing).failure()).isEqualTo(ExportVerifier.Failure.MALFORMED);
        assertThat(verify(trailing).line()).isEqualTo(5);
    }

    @Test
    void failsWhereAnEntryDiffersFromAPublishedCheckpoint() throws Exception {
        List<String> lines = export(1, 5, AuditChain.GENESIS_PREV_HASH, KEY);
        ExportVerifier verifier = new ExportVerifier(Map.of(KEY.keyId(), KEY.publicKey()), Map.of(3L, "d".repeat(64)));

        ExportVerifier.Result result = verifier.verify(
                new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));

        assertThat(result.failure()).isEqualTo(ExportVerifier.Failure.CHECKPOINT_MISMATCH);
        assertThat(result.line()).isEqualTo(3);
    }

    /** The lines with every entry rewritten in JCS member order, the streaming path's input. */
    private static List<String> canonicalOrder(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            out.add(i == lines.size() - 1 ? lines.get(i) : CanonicalJson.toString(JSON.readTree(lines.get(i))));
        }
        return out;
    }

    @Test
    void theStreamingPathHashesAsTheTreeDoes() throws Exception {
        List<String> lines = canonicalOrder(export(1, 3, AuditChain.GENESIS_PREV_HASH, KEY));
        StreamingEntry streaming = new StreamingEntry(new com.fasterxml.jackson.core.JsonFactory());
        byte[] line = lines.get(1).getBytes(StandardCharsets.UTF_8);

        assertThat(streaming.read(line, line.length)).isTrue();
        assertThat(streaming.computed).isEqualTo(new AuditChain().hash(JSON.readTree(line)));
        assertThat(streaming.hash).isEqualTo(streaming.computed);
        assertThat(streaming.seq).isEqualTo(2);
        assertThat(streaming.organizationId).isEqualTo(ORG);
        byte[] unsorted = ("{\"zz\":1," + lines.get(1).substring(1)).getBytes(StandardCharsets.UTF_8);
        assertThat(streaming.read(unsorted, unsorted.length))
                .as("out of JCS order")
                .isFalse();
        byte[] checkpoint = lines.get(3).getBytes(StandardCharsets.UTF_8);
        assertThat(streaming.read(checkpoint, checkpoint.length)).isFalse();
    }

    @Test
    void anExportInJcsOrderVerifiesAndItsTamperingIsCaught() throws Exception {
        List<String> lines = canonicalOrder(export(1, 10, AuditChain.GENESIS_PREV_HASH, KEY));
        assertThat(verify(lines).verified()).isTrue();

        List<String> changed = new ArrayList<>(lines);
        changed.set(4, changed.get(4).replace("alice", "mallory"));
        assertThat(verify(changed).message()).startsWith("line 5: hash mismatch");

        List<String> swapped = new ArrayList<>(lines);
        Collections.swap(swapped, 2, 3);
        assertThat(verify(swapped).failure()).isEqualTo(ExportVerifier.Failure.BROKEN_CHAIN);
    }

    @Test
    void entriesTheStreamingPathDoesNotTakeStillVerifyThroughTheTree() throws Exception {
        AuditChain chain = new AuditChain();
        ObjectNode entry = JSON.createObjectNode()
                .put("seq", 1)
                .put("organization_id", ORG)
                .put("prev_hash", AuditChain.GENESIS_PREV_HASH);
        entry.putObject("details").put("ratio", 0.5).put("b", 1).put("a", 2);
        String hash = chain.hash(entry);
        entry.put("hash", hash);
        AuditCheckpoint checkpoint =
                AuditCheckpoint.sign(ORG, 1L, 1L, 1, hash, Instant.parse("2026-12-02T02:00:00Z"), KEY);

        assertThat(verify(List.of(entry.toString(), checkpoint.toJson().toString()))
                        .verified())
                .isTrue();
        assertThat(verify(List.of(
                                CanonicalJson.toString(entry),
                                checkpoint.toJson().toString()))
                        .verified())
                .isTrue();
    }

    @Test
    void consecutiveExportsChain() throws Exception {
        List<String> first = export(1, 5, AuditChain.GENESIS_PREV_HASH, KEY);
        String head = JSON.readTree(first.get(5)).get("head").asText();
        List<String> second = export(6, 5, head, KEY);

        assertThat(JSON.readTree(second.get(0)).get("prev_hash").asText()).isEqualTo(head);
        assertThat(verify(second).verified()).isTrue();
    }
}
