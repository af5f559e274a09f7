package dev.keyledger.query.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.contracts.audit.AuditCheckpoint;
import dev.keyledger.contracts.audit.CanonicalJson;
import dev.keyledger.contracts.audit.SigningKey;
import dev.keyledger.query.auditchain.AuditEntryFormat;
import dev.keyledger.query.datasource.ReadApiDatabase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes an organization's signed audit export (CONTRACT.md; docs/audit.md, "Export"): the chained
 * entries of a range in seq order, each as its RFC 8785 canonical JSON on one line, then the signed
 * checkpoint. The range [from, to) of {@code occurred_at} is turned into a seq range once (every
 * entry after the last one that occurred before {@code from}, up to the last one that occurred
 * before {@code to}), so consecutive exports chain exactly even where clocks made two entries' times
 * disagree with their seq. Streamed from a server-side cursor inside one read-only transaction: one
 * row in memory at a time. Stateless; the canonical writer and hasher are made per export.
 */
@Component
class AuditExport {

    private static final int FETCH_SIZE = 1_000;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final Clock clock = Clock.systemUTC();

    AuditExport(ReadApiDatabase database) {
        this.jdbc = database.jdbc();
        this.streaming = database.streaming(FETCH_SIZE);
        this.readOnly = database.readOnlyTransaction();
    }

    /** What was written: the checkpoint line. */
    AuditCheckpoint write(String organizationId, Instant from, Instant to, SigningKey key, OutputStream out) {
        return readOnly.execute(status -> {
            long firstSeq = from == null ? 1 : lastSeqBefore(organizationId, from) + 1;
            long lastSeq = to == null ? Long.MAX_VALUE : lastSeqBefore(organizationId, to);
            Written written = new Written();
            if (lastSeq >= firstSeq) {
                CanonicalJson canonical = new CanonicalJson();
                streaming.query(
                        con -> {
                            PreparedStatement ps = con.prepareStatement("SELECT " + AuditEntryFormat.COLUMNS
                                    + " FROM audit_log WHERE organization_id = ? AND seq BETWEEN ? AND ?"
                                    + " AND hash IS NOT NULL ORDER BY seq");
                            ps.setFetchSize(FETCH_SIZE);
                            ps.setString(1, organizationId);
                            ps.setLong(2, firstSeq);
                            ps.setLong(3, lastSeq);
                            return ps;
                        },
                        (RowCallbackHandler) rs -> written.add(rs, canonical, out));
            }
            String head = written.count > 0 ? written.lastHash : hashBefore(organizationId, firstSeq);
            AuditCheckpoint checkpoint = AuditCheckpoint.sign(
                    organizationId,
                    written.count == 0 ? null : written.firstSeq,
                    written.count == 0 ? null : written.lastSeq,
                    written.count,
                    head,
                    clock.instant(),
                    key);
            try {
                out.write(CanonicalJson.of(checkpoint.toJson()));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return checkpoint;
        });
    }

    /** The seq of the last numbered entry that occurred before {@code instant}, 0 if none. */
    private long lastSeqBefore(String organizationId, Instant instant) {
        Long seq = jdbc.queryForObject(
                "SELECT max(seq) FROM audit_log WHERE organization_id = ? AND occurred_at < ?",
                Long.class,
                organizationId,
                instant.atOffset(ZoneOffset.UTC));
        return seq == null ? 0 : seq;
    }

    /** The hash of the last chained entry below {@code seq}: an empty export's head. */
    private String hashBefore(String organizationId, long seq) {
        List<String> hashes = jdbc.queryForList(
                "SELECT hash FROM audit_log WHERE organization_id = ? AND seq < ? AND hash IS NOT NULL"
                        + " ORDER BY seq DESC LIMIT 1",
                String.class,
                organizationId,
                seq);
        return hashes.isEmpty() ? AuditChain.GENESIS_PREV_HASH : hashes.get(0);
    }

    /** The entries written so far; stops at a gap, so a file never holds a broken chain. */
    private static final class Written {
        long count;
        long firstSeq;
        long lastSeq;
        String lastHash;
        boolean stopped;

        void add(ResultSet rs, CanonicalJson canonical, OutputStream out) throws java.sql.SQLException {
            long seq = rs.getLong(1);
            if (stopped || (count > 0 && seq != lastSeq + 1)) {
                stopped = true;
                return;
            }
            ObjectNode entry = AuditEntryFormat.entry(rs, null);
            try {
                canonical.write(entry, null).writeTo(out);
                out.write('\n');
            } catch (IOException e) {
                // The client went away: stop reading rows.
                throw new UncheckedIOException(e);
            }
            if (count == 0) {
                firstSeq = seq;
            }
            count++;
            lastSeq = seq;
            lastHash = rs.getString(14);
        }
    }
}
