package dev.keyledger.query.projection;

import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyEvent;
import dev.keyledger.contracts.database.DatabaseEvent;
import dev.keyledger.contracts.organization.OrganizationEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The temporal read model (Flyway V9, decision 0011): for every applied event of a key, an
 * organization or a database, one <em>version</em> row holding the aggregate's state after that
 * event, valid over [{@code valid_from}, {@code valid_to}) of event time. The next event of the
 * aggregate closes the open version ({@code valid_to = 'infinity'}) at its own time. A version's
 * {@code valid_from} never goes below its predecessor's, so one aggregate's versions never
 * overlap even when a skewed clock stamps an event earlier than the one before it (that version
 * then has an empty interval). The versions are snapshots of the rows the other projections
 * computed, so no event is interpreted twice.
 *
 * <p>Writes join the caller's transaction (the projection's poll), so a version exists exactly
 * when its aggregate's {@code last_sequence} covers it and a redelivered event adds nothing. The
 * rebuild replays into shadow copies of these tables like the others. Stateless; a {@link Poll}
 * belongs to one poll on one thread.
 */
@Component
class TemporalProjection {

    static final String OPEN = "infinity";

    private final ProjectionStore store;
    private final JdbcTemplate jdbc;

    TemporalProjection(ProjectionStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    /** One aggregate's new versions in one poll, in event order. */
    private static final class Chain<R> {
        final boolean existed;
        final List<R> rows = new ArrayList<>(2);
        final List<Instant> times = new ArrayList<>(2);

        Chain(boolean existed) {
            this.existed = existed;
        }
    }

    /** A version ready to be written: the row and its interval. */
    private record Version<R>(R row, Instant from, Instant to) {}

    /** The versions that one poll opens. */
    static final class Poll {
        private final Map<String, Chain<OrganizationRow>> organizations = new LinkedHashMap<>();
        private final Map<String, Chain<DatabaseRow>> databases = new LinkedHashMap<>();
        private final Map<String, Chain<ApiKeyRow>> keys = new LinkedHashMap<>();

        /** Records the state that {@code event}, just applied at {@code at}, left its aggregate in. */
        void applied(
                KeyledgerEvent event,
                PollRows<OrganizationRow> organizationRows,
                PollRows<DatabaseRow> databaseRows,
                PollRows<ApiKeyRow> keyRows,
                Instant at) {
            switch (event) {
                case OrganizationEvent e -> add(organizations, organizationRows, e.organizationId(), at);
                case DatabaseEvent e -> add(databases, databaseRows, e.databaseId(), at);
                case ApiKeyEvent e -> add(keys, keyRows, e.keyId(), at);
                default -> {}
            }
        }

        private static <R> void add(Map<String, Chain<R>> chains, PollRows<R> rows, String id, Instant at) {
            R row = rows.get(id);
            if (row == null) {
                return;
            }
            Chain<R> chain = chains.computeIfAbsent(id, ignored -> new Chain<>(rows.existed(row)));
            chain.rows.add(row);
            chain.times.add(at);
        }
    }

    Poll poll() {
        return new Poll();
    }

    void write(Poll poll) {
        copy(
                "organization_versions (organization_id, sequence, name, plan, requests_per_minute,"
                        + " requests_per_day, status, valid_from, valid_to)",
                "organization_versions",
                "organization_id",
                poll.organizations,
                (line, v) -> line.field(v.row().id())
                        .field(v.row().lastSequence())
                        .field(v.row().name())
                        .field(v.row().plan())
                        .field(v.row().requestsPerMinute())
                        .field(v.row().requestsPerDay())
                        .field(Objects.requireNonNullElse(v.row().status(), OrganizationRow.ACTIVE)));
        copy(
                "database_versions (database_id, sequence, organization_id, name, allowed_origins, valid_from,"
                        + " valid_to)",
                "database_versions",
                "database_id",
                poll.databases,
                (line, v) -> line.field(v.row().id())
                        .field(v.row().lastSequence())
                        .field(v.row().organizationId())
                        .field(v.row().name())
                        .field(arrayLiteral(v.row().allowedOrigins())));
        copy(
                "api_key_versions (key_id, sequence, organization_id, database_id, type, name, public_key,"
                        + " last_four, created_at, created_by, expires_at, replaces, replaced_by, status, valid_from,"
                        + " valid_to)",
                "api_key_versions",
                "key_id",
                poll.keys,
                (line, v) -> line.field(v.row().id())
                        .field(v.row().lastSequence())
                        .field(v.row().organizationId())
                        .field(v.row().databaseId())
                        .field(v.row().type())
                        .field(v.row().name())
                        .field(v.row().publicKey())
                        .field(v.row().lastFour())
                        .field(v.row().createdAt())
                        .field(v.row().createdBy())
                        .field(v.row().expiresAt())
                        .field(v.row().replaces())
                        .field(v.row().replacedBy())
                        .field(v.row().status().wireName()));
    }

    /**
     * Closes the open versions of the aggregates that existed before the poll, then copies every
     * new version with its interval; {@code columns} writes the columns before the interval.
     */
    private <R> void copy(
            String target,
            String table,
            String idColumn,
            Map<String, Chain<R>> chains,
            BiConsumer<ProjectionStore.CopyLine, Version<R>> columns) {
        if (chains.isEmpty()) {
            return;
        }
        Map<String, Instant> starts = close(table, idColumn, chains);
        List<Version<R>> versions = new ArrayList<>();
        chains.forEach((id, chain) -> {
            Instant from = starts.getOrDefault(id, chain.times.getFirst());
            int n = chain.rows.size();
            for (int i = 0; i < n; i++) {
                Instant to = null;
                if (i + 1 < n) {
                    Instant next = chain.times.get(i + 1);
                    to = next.isBefore(from) ? from : next;
                }
                versions.add(new Version<>(chain.rows.get(i), from, to));
                if (to != null) {
                    from = to;
                }
            }
        });
        store.copy(target, versions, (line, v) -> {
            columns.accept(line, v);
            line.field(v.from());
            if (v.to() == null) {
                line.field(OPEN);
            } else {
                line.field(v.to());
            }
        });
    }

    /**
     * Ends the open version of every aggregate in {@code chains} that existed before this poll at
     * its first new event's time (never below the open version's own start), in one statement,
     * and returns where each new chain starts. An aggregate without an open version (projected
     * before V9, until the rebuild that V9 starts has run) starts at its event's time.
     */
    private Map<String, Instant> close(String table, String idColumn, Map<String, ? extends Chain<?>> chains) {
        List<String> ids = new ArrayList<>();
        List<String> times = new ArrayList<>();
        chains.forEach((id, chain) -> {
            if (chain.existed) {
                ids.add(id);
                times.add(ProjectionStore.CopyLine.timestamp(chain.times.getFirst()));
            }
        });
        Map<String, Instant> starts = new HashMap<>();
        if (ids.isEmpty()) {
            return starts;
        }
        jdbc.query(
                "UPDATE " + table + " v SET valid_to = GREATEST(v.valid_from, c.at::timestamptz)"
                        + " FROM unnest(?::text[], ?::text[]) AS c(id, at)"
                        + " WHERE v." + idColumn + " = c.id AND v.valid_to = 'infinity'"
                        + " RETURNING v." + idColumn + ", v.valid_to",
                ps -> {
                    ps.setArray(1, ProjectionStore.textArray(ps, ids));
                    ps.setArray(2, ProjectionStore.textArray(ps, times));
                },
                rs -> {
                    starts.put(
                            rs.getString(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant());
                });
        return starts;
    }

    /** A PostgreSQL array literal of {@code values}, every element quoted and escaped. */
    static String arrayLiteral(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String value = values.get(i);
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }
}
