package dev.keyledger.query.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.query.auditchain.AuditEntryFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hash chain of every organization's audit log (docs/audit.md). Entries arrive with the
 * {@code seq} the command side gave them, but not in seq order (an organization's aggregates live on
 * different partitions), so the chain is extended after each poll's writes, in the same
 * transaction: from the organization's newest hashed entry, each following entry whose seq is the
 * next one gets {@code prev_hash} and {@code hash}; the first gap stops it until the missing entry
 * arrives. Since seq comes from the event and the hash from the entry alone, a rebuild (shadow
 * tables through the search path) or another instance computes the same chain.
 *
 * <p>Also fills in the seq of entries projected before the chain existed, when the command side's
 * second relay of their event arrives (a duplicate for every other model). Joins the caller's
 * transaction; one projection thread at a time (the projection lease, decision 0007). Stateless.
 */
@Component
class AuditChainProjection {

    private static final int CHUNK = 5_000;

    private final JdbcTemplate jdbc;

    AuditChainProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Gives entries without a seq the one their event now carries; returns their organizations. */
    Collection<String> number(Collection<AuditRow> numbered) {
        List<AuditRow> rows = numbered.stream().filter(row -> row.seq() != null).toList();
        if (rows.isEmpty()) {
            return List.of();
        }
        // Never two entries at one position: a seq already taken leaves the entry unnumbered (and the
        // chain stopped before it) rather than fail the poll forever.
        jdbc.batchUpdate(
                "UPDATE audit_log SET seq = ? WHERE aggregate_id = ? AND sequence = ? AND seq IS NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM audit_log t WHERE t.organization_id = ? AND t.seq = ?)",
                rows,
                CHUNK,
                (ps, row) -> {
                    ps.setLong(1, row.seq());
                    ps.setString(2, row.aggregateId());
                    ps.setLong(3, row.sequence());
                    ps.setString(4, row.organizationId());
                    ps.setLong(5, row.seq());
                });
        return rows.stream().map(AuditRow::organizationId).toList();
    }

    /** Extends the chain of each organization as far as its entries are contiguous. */
    void extend(Collection<String> organizationIds) {
        AuditChain chain = new AuditChain();
        for (String organizationId : new TreeSet<>(organizationIds)) {
            extend(organizationId, chain);
        }
    }

    private record Head(long seq, String hash) {}

    private record Link(String aggregateId, long sequence, String prevHash, String hash) {}

    private void extend(String organizationId, AuditChain chain) {
        Head start = jdbc
                .query(
                        "SELECT seq, hash FROM audit_log WHERE organization_id = ? AND hash IS NOT NULL"
                                + " ORDER BY seq DESC LIMIT 1",
                        (rs, row) -> new Head(rs.getLong(1), rs.getString(2)),
                        organizationId)
                .stream()
                .findFirst()
                .orElse(new Head(0, AuditChain.GENESIS_PREV_HASH));
        Head head = start;
        boolean more = true;
        while (more) {
            Head from = head;
            List<Link> links = new ArrayList<>();
            Head[] reached = {from};
            boolean[] gap = {false};
            int[] read = {0};
            jdbc.query(
                    con -> {
                        PreparedStatement ps = con.prepareStatement("SELECT " + AuditEntryFormat.COLUMNS
                                + " FROM audit_log WHERE organization_id = ? AND seq > ? ORDER BY seq LIMIT " + CHUNK);
                        ps.setString(1, organizationId);
                        ps.setLong(2, from.seq());
                        return ps;
                    },
                    (ResultSet rs) -> {
                        read[0]++;
                        long seq = rs.getLong(1);
                        if (gap[0] || seq != reached[0].seq() + 1) {
                            gap[0] = true;
                            return;
                        }
                        ObjectNode entry = AuditEntryFormat.entry(rs, reached[0].hash());
                        String hash = chain.hash(entry);
                        links.add(new Link(rs.getString(5), rs.getLong(6), reached[0].hash(), hash));
                        reached[0] = new Head(seq, hash);
                    });
            jdbc.batchUpdate(
                    "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE aggregate_id = ? AND sequence = ?",
                    links,
                    CHUNK,
                    (ps, link) -> {
                        ps.setString(1, link.prevHash());
                        ps.setString(2, link.hash());
                        ps.setString(3, link.aggregateId());
                        ps.setLong(4, link.sequence());
                    });
            head = reached[0];
            more = !gap[0] && read[0] == CHUNK;
        }
        if (head.seq() > start.seq()) {
            // Only forward: a rebuild's replay, behind the live chain, computes the same hashes.
            jdbc.update(
                    "INSERT INTO audit_chain_heads AS h (organization_id, seq, hash, updated_at) VALUES (?, ?, ?, now())"
                            + " ON CONFLICT (organization_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
                            + " updated_at = excluded.updated_at WHERE h.seq < excluded.seq",
                    organizationId,
                    head.seq(),
                    head.hash());
        }
    }
}
