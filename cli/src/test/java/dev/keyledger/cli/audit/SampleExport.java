package dev.keyledger.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.audit.JwkSet;
import dev.keyledger.contracts.audit.SigningKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid audit exports signed with the contracts module's signer and a generated Ed25519 key, as
 * the query-service writes them: entries chained from seq {@code first}, the checkpoint last. Also
 * the generator of cli/bench/verify-benchmark.sh:
 * {@code java -cp ... dev.keyledger.cli.audit.SampleExport ENTRIES EXPORT_FILE JWKS_FILE}.
 */
public final class SampleExport {

    static final String ORG = "org_01JCLITESTORGANIZATION00";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TYPES = {
        "api_key.issued", "api_key.renamed", "api_key.rolled", "api_key.revoked", "database.allowed_origins_changed"
    };

    private SampleExport() {}

    /** The lines of an export of {@code n} entries from {@code first} chained to {@code prev}. */
    static List<String> lines(long first, int n, String prev, SigningKey key) {
        List<String> lines = new ArrayList<>();
        try {
            write(first, n, prev, key, new Writer() {
                private final StringBuilder line = new StringBuilder();

                @Override
                public void write(char[] buffer, int offset, int length) {
                    for (int i = offset; i < offset + length; i++) {
                        if (buffer[i] == '\n') {
                            lines.add(line.toString());
                            line.setLength(0);
                        } else {
                            line.append(buffer[i]);
                        }
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    /** Writes an export of {@code n} entries, one line each, then the signed checkpoint. */
    static void write(long first, long n, String prev, SigningKey key, Writer out) throws IOException {
        AuditChain chain = new AuditChain();
        String previous = prev;
        for (long seq = first; seq < first + n; seq++) {
            ObjectNode entry = entry(seq, previous);
            String hash = chain.hash(entry);
            entry.put("hash", hash);
            previous = hash;
            // In RFC 8785 form, as the query-service's export writes its entries.
            out.write(dev.keyledger.contracts.audit.CanonicalJson.toString(entry));
            out.write('\n');
        }
        AuditCheckpoint checkpoint = AuditCheckpoint.sign(
                ORG,
                n == 0 ? null : first,
                n == 0 ? null : first + n - 1,
                n,
                previous,
                Instant.parse("2026-12-02T02:00:00Z"),
                key);
        out.write(checkpoint.toJson().toString());
        out.write('\n');
        out.flush();
    }

    /** An entry with {@code prev_hash} and without {@code hash}, shaped like the query-service's. */
    static ObjectNode entry(long seq, String prevHash) {
        ObjectNode entry = JSON.createObjectNode()
                .put("seq", seq)
                .put("event_id", "0193a1c2-7f00-7000-8000-" + String.format("%012d", seq))
                .put("organization_id", ORG)
                .put("aggregate_type", "api_key")
                .put("aggregate_id", "key_01JCLITEST" + String.format("%014d", seq % 10_000))
                .put("sequence", seq / 10_000)
                .put("type", TYPES[(int) (seq % TYPES.length)])
                .put(
                        "occurred_at",
                        Instant.ofEpochMilli(1_764_633_600_000L + seq * 1_000).toString());
        entry.putObject("actor")
                .put("subject", "alice@example.com")
                .put("ip", "203.0.113." + (seq % 250))
                .put("user_agent", "keyledger-portal/1.0 (\u00e9t\u00e9)");
        entry.putObject("details")
                .put("name", "Production key " + seq)
                .put("expires_at", "2027-01-01T00:00:00Z")
                .putArray("allowed_origins")
                .add("https://app.example.com")
                .add("https://*.example.com");
        entry.put("prev_hash", prevHash);
        return entry;
    }

    static String jwks(SigningKey... keys) {
        List<dev.keyledger.contracts.audit.Jwk> jwks = new ArrayList<>();
        for (SigningKey key : keys) {
            jwks.add(key.jwk());
        }
        return new JwkSet(jwks).toString();
    }

    /** {@code ENTRIES EXPORT_FILE JWKS_FILE}: writes an export and the JWK set that verifies it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SampleExport ENTRIES EXPORT_FILE JWKS_FILE");
            System.exit(2);
        }
        long entries = Long.parseLong(args[0]);
        SigningKey key = SigningKey.generate("bench-" + System.currentTimeMillis());
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            write(1, entries, AuditChain.GENESIS_PREV_HASH, key, out);
        }
        Files.writeString(Path.of(args[2]), jwks(key));
        System.out.println("wrote " + entries + " entries to " + args[1] + ", keys to " + args[2]);
    }
}
