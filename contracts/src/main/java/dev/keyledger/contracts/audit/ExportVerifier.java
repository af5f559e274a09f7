package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies an audit export (NDJSON: entries in {@code seq} order, then one checkpoint) offline,
 * reading it once, one line in memory at a time. Stops at the first line that fails, with its
 * number (from 1) and a {@link Failure}: every kind of tampering (a changed member, a deleted,
 * inserted or swapped line, a cut tail, a replaced checkpoint, a foreign signing key) is caught at
 * the first line it affects.
 *
 * <p>Checks, per entry line: a JSON object with an integer {@code seq}, 64-hex {@code prev_hash}
 * and {@code hash}; {@code hash} equal to the hash of the entry; {@code seq} one more than the line
 * before and {@code prev_hash} equal to its {@code hash} (the first entry: 64 zeros when its seq is
 * 1, otherwise any predecessor, so consecutive and shortened exports verify); one organization.
 * On the checkpoint: a known {@code key_id}, a good signature, then {@code count},
 * {@code first_seq}, {@code last_seq} and {@code head} matching the entries. Nothing may follow it.
 *
 * <p>Not thread safe; one verification at a time per instance.
 */
public final class ExportVerifier {

    /** Why a line failed. */
    public enum Failure {
        /** Not JSON, not an object, or a member of the wrong type. */
        MALFORMED("malformed line"),
        /** The entry's {@code hash} is not the hash of the entry. */
        HASH_MISMATCH("hash mismatch"),
        /** {@code prev_hash} or {@code seq} does not follow the line before. */
        BROKEN_CHAIN("broken chain"),
        /** The checkpoint's signature does not verify. */
        BAD_SIGNATURE("bad signature"),
        /** The checkpoint names a {@code key_id} the key set does not have. */
        UNKNOWN_KEY("unknown key"),
        /** The checkpoint's {@code count}, {@code first_seq} or {@code last_seq} do not match the entries. */
        COUNT_MISMATCH("count mismatch"),
        /** The checkpoint's {@code head} is not the hash of the last entry, or its organization differs. */
        HEAD_MISMATCH("head mismatch"),
        /** The export ends before its checkpoint (cut short). */
        TRUNCATED("truncated"),
        /** An entry's hash differs from an earlier published checkpoint's head at that seq. */
        CHECKPOINT_MISMATCH("checkpoint mismatch");

        private final String reason;

        Failure(String reason) {
            this.reason = reason;
        }

        /** The words the CLI prints: {@code line L: <reason>: <detail>}. */
        public String reason() {
            return reason;
        }
    }

    /** The outcome: {@code failure} null when verified; {@code line} the first bad line, else 0. */
    public record Result(long entries, long line, Failure failure, String detail, AuditCheckpoint checkpoint) {

        public boolean verified() {
            return failure == null;
        }

        /** {@code line L: <reason>: <detail>} for a failure. */
        public String message() {
            return verified()
                    ? "verified " + entries + " entries"
                    : "line " + line + ": " + failure.reason() + ": " + detail;
        }
    }

    private static final int MAX_LINE = 1 << 20;

    private final ObjectReader reader;
    private final StreamingEntry streaming;
    private final Map<String, PublicKey> keys;
    private final Map<Long, String> knownHeads;
    private final AuditChain chain = new AuditChain();

    /** A verifier trusting {@code keys} (by key id). */
    public ExportVerifier(Map<String, PublicKey> keys) {
        this(keys, Map.of());
    }

    /**
     * A verifier that also checks every entry whose {@code seq} is in {@code knownHeads} against
     * that hash (the heads of checkpoints published earlier, so a rewritten history is caught).
     */
    public ExportVerifier(Map<String, PublicKey> keys, Map<Long, String> knownHeads) {
        this.keys = Map.copyOf(keys);
        this.knownHeads = Map.copyOf(knownHeads);
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_LINE)
                        .maxNestingDepth(64)
                        .build())
                .build();
        this.streaming = new StreamingEntry(factory);
        this.reader = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .reader();
    }

    public ExportVerifier(JwkSet keys) {
        this(keys.byKid());
    }

    /** Verifies the export read from {@code in} (not closed). */
    public Result verify(InputStream in) throws IOException {
        return new Run().verify(new Lines(in));
    }

    private final class Run {
        private long line;
        private long entries;
        private Long firstSeq;
        private long lastSeq;
        private String lastHash;
        private String organizationId;
        private long streamFrom;

        Result verify(Lines lines) throws IOException {
            AuditCheckpoint checkpoint = null;
            while (lines.next()) {
                line++;
                if (checkpoint != null) {
                    return fail(Failure.MALFORMED, "a line follows the checkpoint");
                }
                if (lines.tooLong()) {
                    return fail(Failure.MALFORMED, "the line is longer than " + MAX_LINE + " bytes");
                }
                if (line >= streamFrom && streaming.read(lines.buffer(), lines.length())) {
                    Result bad = entry(
                            streaming.seq,
                            streaming.prevHash,
                            streaming.hash,
                            streaming.organizationId,
                            streaming.computed);
                    if (bad != null) {
                        return bad;
                    }
                    continue;
                }
                // Not an entry the streaming path can hash (a checkpoint, members out of JCS
                // order, a float, bad JSON...): the tree decides and explains.
                JsonNode json;
                try {
                    json = reader.readTree(lines.buffer(), 0, lines.length());
                } catch (IOException e) {
                    return fail(lines.unterminated() ? Failure.TRUNCATED : Failure.MALFORMED, "not a JSON object");
                }
                if (json == null || !json.isObject()) {
                    return fail(Failure.MALFORMED, "not a JSON object");
                }
                if (AuditCheckpoint.isCheckpoint(json)) {
                    Result bad = checkpoint(json);
                    if (bad != null) {
                        return bad;
                    }
                    checkpoint = AuditCheckpoint.parse(json);
                    continue;
                }
                Result bad = entry(json);
                if (bad != null) {
                    return bad;
                }
                // A writer that does not emit JCS order: try the streaming path again only now
                // and then, not on every line (it costs an aborted parse).
                streamFrom = line + 1024;
            }
            if (checkpoint == null) {
                return new Result(entries, line + 1, Failure.TRUNCATED, "the export ends without its checkpoint", null);
            }
            return new Result(entries, 0, null, null, checkpoint);
        }

        private Result entry(JsonNode json) {
            JsonNode seqNode = json.get(AuditChain.SEQ);
            if (seqNode == null
                    || !seqNode.isIntegralNumber()
                    || !seqNode.canConvertToLong()
                    || seqNode.longValue() < 1) {
                return fail(Failure.MALFORMED, "seq must be a positive integer");
            }
            long seq = seqNode.longValue();
            String prevHash = json.path(AuditChain.PREV_HASH).textValue();
            String hash = json.path(AuditChain.HASH).textValue();
            if (!AuditChain.isHash(prevHash) || !AuditChain.isHash(hash)) {
                return fail(Failure.MALFORMED, "prev_hash and hash must be 64 lowercase hex digits");
            }
            JsonNode organization = json.get("organization_id");
            String org = organization == null ? null : organization.textValue();
            if (entries == 0) {
                organizationId = org;
            } else if (!Objects.equals(organizationId, org)) {
                return fail(Failure.BROKEN_CHAIN, "the entry belongs to another organization");
            }
            String computed;
            try {
                computed = chain.hash(json);
            } catch (IllegalArgumentException e) {
                return fail(Failure.MALFORMED, e.getMessage());
            }
            return entry(seq, prevHash, hash, org, computed);
        }

        /** The checks of an entry once parsed and hashed, by either path. */
        private Result entry(long seq, String prevHash, String hash, String org, String computed) {
            if (seq < 1) {
                return fail(Failure.MALFORMED, "seq must be a positive integer");
            }
            if (!AuditChain.isHash(prevHash) || !AuditChain.isHash(hash)) {
                return fail(Failure.MALFORMED, "prev_hash and hash must be 64 lowercase hex digits");
            }
            if (entries == 0) {
                organizationId = org;
            } else if (!Objects.equals(organizationId, org)) {
                return fail(Failure.BROKEN_CHAIN, "the entry belongs to another organization");
            }
            if (!computed.equals(hash)) {
                return fail(Failure.HASH_MISMATCH, "the entry's hash is " + computed + ", the line says " + hash);
            }
            if (entries == 0) {
                if (seq == 1 && !AuditChain.GENESIS_PREV_HASH.equals(prevHash)) {
                    return fail(Failure.BROKEN_CHAIN, "the entry with seq 1 must have a prev_hash of 64 zeros");
                }
                firstSeq = seq;
            } else {
                if (seq != lastSeq + 1) {
                    return fail(Failure.BROKEN_CHAIN, "seq " + seq + " follows seq " + lastSeq);
                }
                if (!prevHash.equals(lastHash)) {
                    return fail(Failure.BROKEN_CHAIN, "prev_hash is not the hash of the line before");
                }
            }
            String known = knownHeads.get(seq);
            if (known != null && !known.equals(hash)) {
                return fail(Failure.CHECKPOINT_MISMATCH, "a published checkpoint has head " + known + " at seq " + seq);
            }
            entries++;
            lastSeq = seq;
            lastHash = hash;
            return null;
        }

        private Result checkpoint(JsonNode json) {
            AuditCheckpoint checkpoint;
            try {
                checkpoint = AuditCheckpoint.parse(json);
            } catch (IllegalArgumentException e) {
                return fail(Failure.MALFORMED, "checkpoint: " + e.getMessage());
            }
            PublicKey key = keys.get(checkpoint.keyId());
            if (key == null) {
                return fail(Failure.UNKNOWN_KEY, "no public key with key_id " + checkpoint.keyId());
            }
            if (!AuditCheckpoint.verifySignature(json, key)) {
                return fail(
                        Failure.BAD_SIGNATURE,
                        "the checkpoint's signature does not verify with key " + checkpoint.keyId());
            }
            if (checkpoint.count() != entries) {
                return fail(
                        Failure.COUNT_MISMATCH,
                        "the checkpoint counts " + checkpoint.count() + " entries, the file has " + entries);
            }
            if (entries > 0) {
                if (!Objects.equals(checkpoint.firstSeq(), firstSeq)
                        || checkpoint.lastSeq() == null
                        || checkpoint.lastSeq() != lastSeq) {
                    return fail(Failure.COUNT_MISMATCH, "the checkpoint's first_seq and last_seq are not the file's");
                }
                if (!checkpoint.head().equals(lastHash)) {
                    return fail(Failure.HEAD_MISMATCH, "the checkpoint's head is not the hash of the last entry");
                }
                if (organizationId != null && !organizationId.equals(checkpoint.organizationId())) {
                    return fail(Failure.HEAD_MISMATCH, "the checkpoint is of another organization");
                }
            } else if (checkpoint.firstSeq() != null || checkpoint.lastSeq() != null) {
                return fail(Failure.COUNT_MISMATCH, "a checkpoint of no entries has no first_seq or last_seq");
            }
            return null;
        }

        private Result fail(Failure failure, String detail) {
            return new Result(entries, line, failure, detail, null);
        }
    }

    /** Splits a stream into lines of bytes without decoding them to strings. */
    private static final class Lines {
        private final InputStream in;
        private final byte[] chunk = new byte[64 * 1024];
        private int chunkPos;
        private int chunkLen;
        private byte[] line = new byte[4096];
        private int length;
        private boolean tooLong;
        private boolean unterminated;
        private boolean eof;

        Lines(InputStream in) {
            this.in = in;
        }

        /** Reads the next line; false at the end (a final newline ends the last line, it starts none). */
        boolean next() throws IOException {
            length = 0;
            tooLong = false;
            unterminated = false;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkLen) {
                    if (eof) {
                        unterminated = any;
                        return any;
                    }
                    chunkLen = in.read(chunk);
                    chunkPos = 0;
                    if (chunkLen <= 0) {
                        chunkLen = 0;
                        eof = true;
                        continue;
                    }
                }
                any = true;
                int start = chunkPos;
                int end = start;
                while (end < chunkLen && chunk[end] != '\n') {
                    end++;
                }
                append(start, end);
                if (end < chunkLen) {
                    chunkPos = end + 1;
                    return true;
                }
                chunkPos = chunkLen;
            }
        }

        private void append(int start, int end) {
            int n = end - start;
            if (tooLong || length + n > MAX_LINE) {
                tooLong = true;
                return;
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(chunk, start, line, length, n);
            length += n;
        }

        byte[] buffer() {
            return line;
        }

        int length() {
            return length;
        }

        boolean tooLong() {
            return tooLong;
        }

        boolean unterminated() {
            return unterminated;
        }
    }
}
