package dev.keyledger.command.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * The statements tracking processors read the event store with, bounded by the safe horizon: the
 * highest global index below which no transaction still in flight can commit an event
 * ({@code keyledger_safe_global_index()}, migration V3, decision record 0003). Axon's gap logic then
 * only ever sees gaps that are gone for good (rolled-back appends), so its gap timeout, gap
 * cleaning and "old event truncates gaps" rule can no longer drop an event that commits late; a
 * long append transaction delays the processors instead of losing its events.
 *
 * <p>The horizon is read in a statement of its own, before the read: with READ COMMITTED (the
 * PostgreSQL default, and what Axon's Spring transaction uses) the read's snapshot is taken after
 * it, so every append whose advisory lock was already released is visible to the read. Stateless.
 */
final class SafeHorizonReads {

    private SafeHorizonReads() {}

    /** Replaces {@code JdbcEventStorageEngineStatements.readEventDataWithoutGaps}. */
    static PreparedStatement withoutGaps(Connection connection, EventSchema schema, long globalIndex, int batchSize)
            throws SQLException {
        return withGaps(connection, schema, globalIndex, batchSize, List.of());
    }

    /** Replaces {@code JdbcEventStorageEngineStatements.readEventDataWithGaps}. */
    static PreparedStatement withGaps(
            Connection connection, EventSchema schema, long globalIndex, int batchSize, List<Long> gaps)
            throws SQLException {
        long horizon = safeHorizon(connection);
        String index = schema.globalIndexColumn();
        String sql = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable() + " WHERE ("
                + index + " > ? AND " + index + " <= ?)"
                + (gaps.isEmpty()
                        ? ""
                        : " OR " + index + " IN (" + String.join(",", Collections.nCopies(gaps.size(), "?")) + ")")
                + " ORDER BY " + index + " ASC";
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setLong(1, globalIndex);
        statement.setLong(2, Math.min(globalIndex + batchSize, horizon));
        for (int i = 0; i < gaps.size(); i++) {
            statement.setLong(i + 3, gaps.get(i));
        }
        return statement;
    }

    static long safeHorizon(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT keyledger_safe_global_index()");
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
