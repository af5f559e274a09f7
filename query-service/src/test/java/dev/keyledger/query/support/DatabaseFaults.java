package dev.keyledger.query.support;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Faults injected into the real PostgreSQL database: a trigger that makes matching writes to a
 * table fail, removed again by {@link Fault#close()}. No mock: the service sees exactly the error a
 * refusing server sends.
 */
public final class DatabaseFaults {

    /** SQLSTATE of a value the database refuses: the event's own fault. */
    public static final String DATA_ERROR = "P0001";

    /** SQLSTATE of a lost connection: the infrastructure's fault. */
    public static final String CONNECTION_FAILURE = "08006";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private DatabaseFaults() {}

    /** An installed fault; closing it removes it. */
    public interface Fault extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Makes every insert or update of {@code table} whose new row satisfies {@code condition} (SQL
     * over {@code NEW}, for example {@code NEW.type = 'api_key.revoked'}) fail with {@code sqlState}.
     */
    public static Fault failWrites(JdbcTemplate jdbc, String table, String condition, String sqlState) {
        String name = "keyledger_test_fault_" + COUNTER.incrementAndGet();
        jdbc.execute("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                + " THEN RAISE EXCEPTION 'injected fault on " + table + "' USING ERRCODE = '" + sqlState
                + "'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + name + " BEFORE INSERT OR UPDATE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION " + name + "()");
        return () -> {
            jdbc.execute("DROP TRIGGER IF EXISTS " + name + " ON " + table);
            jdbc.execute("DROP FUNCTION IF EXISTS " + name + "()");
        };
    }
}
