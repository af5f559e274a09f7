package dev.keyledger.query.projection;

import dev.keyledger.query.activekeys.ChangelogUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * Tells a failure of the infrastructure (PostgreSQL or Kafka unreachable, overloaded, timing out,
 * shutting down) from a failure caused by an event itself (a value a column refuses, a bug in a
 * transition). Only the second kind may park an event: an outage must stall the partition and be
 * retried, or every event of the outage would be set aside.
 */
final class Failures {

    /**
     * SQLSTATE classes of the infrastructure: 08 connection, 40 transaction rollback (serialization,
     * deadlock), 53 insufficient resources, 55 object not in prerequisite state (lock not
     * available), 57 operator intervention (statement timeout, shutdown), 58 system error.
     */
    private static final Set<String> INFRASTRUCTURE_SQL_STATES = Set.of("08", "40", "53", "55", "57", "58");

    private Failures() {}

    static boolean isInfrastructure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChangelogUnavailableException
                    || t instanceof KafkaException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionTimedOutException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof InterruptedException) {
                return true;
            }
            // A rollback that fails after the connection broke hides the failure that caused it
            // (HikariCP closes a connection on SQLSTATE 08, so the rollback finds it closed).
            if (t instanceof TransactionSystemException system
                    && system.getApplicationException() != null
                    && system.getApplicationException() != failure
                    && isInfrastructure(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().length() >= 2
                    && INFRASTRUCTURE_SQL_STATES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }
}
