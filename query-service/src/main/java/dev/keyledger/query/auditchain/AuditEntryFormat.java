package dev.keyledger.query.auditchain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The audit entry as the export serves it and as its hash covers it (docs/audit.md, "The hashed
 * entry"): {@code seq, event_id, organization_id, aggregate_type, aggregate_id, sequence, type,
 * occurred_at, actor {subject, ip, user_agent}, details, prev_hash}, then {@code hash}. Every member
 * is always present (JSON null when empty), so an entry is one function of its event: the chain,
 * the export and a rebuild build it here and nowhere else. Stateless and thread safe.
 */
public final class AuditEntryFormat {

    /** The {@code audit_log} columns {@link #entry(ResultSet)} reads, in its order. */
    public static final String COLUMNS = "seq, event_id, organization_id, aggregate_type, aggregate_id, sequence, type,"
            + " occurred_at, actor_subject, actor_ip, actor_user_agent, details, prev_hash, hash";

    private AuditEntryFormat() {}

    /**
     * The entry of the current row of a result set selecting {@link #COLUMNS}: with its stored
     * {@code prev_hash} and {@code hash} when {@code prevHash} is null (the export), or with
     * {@code prevHash} and no {@code hash} (the chain, about to hash it).
     */
    public static ObjectNode entry(ResultSet rs, String prevHash) throws SQLException {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("seq", rs.getLong(1));
        entry.put("event_id", rs.getString(2));
        entry.put("organization_id", rs.getString(3));
        entry.put("aggregate_type", rs.getString(4));
        entry.put("aggregate_id", rs.getString(5));
        entry.put("sequence", rs.getLong(6));
        entry.put("type", rs.getString(7));
        entry.put(
                "occurred_at", rs.getObject(8, OffsetDateTime.class).toInstant().toString());
        ObjectNode actor = entry.putObject("actor");
        actor.put("subject", rs.getString(9));
        actor.put("ip", rs.getString(10));
        actor.put("user_agent", rs.getString(11));
        entry.set("details", details(rs.getString(12)));
        if (prevHash != null) {
            entry.put(AuditChain.PREV_HASH, prevHash);
        } else {
            entry.put(AuditChain.PREV_HASH, rs.getString(13));
            entry.put(AuditChain.HASH, rs.getString(14));
        }
        return entry;
    }

    private static JsonNode details(String json) {
        try {
            return KeyledgerJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("an audit entry's details are not JSON", e);
        }
    }
}
