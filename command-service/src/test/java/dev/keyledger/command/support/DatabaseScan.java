package dev.keyledger.command.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Searches the whole schema for a string: how the tests prove a secret key is stored nowhere. */
public final class DatabaseScan {

    private DatabaseScan() {}

    /**
     * Every text, json or bytea column of every table of the current schema whose value contains
     * {@code needle} (bytea compared as UTF-8), as {@code table.column}. {@code expectedTables} must
     * be among the scanned tables, so that a scan of the wrong schema cannot pass vacuously.
     */
    public static List<String> columnsContaining(JdbcClient jdbc, String needle, String... expectedTables) {
        List<Map<String, Object>> columns = jdbc.sql("SELECT table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " AND data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')")
                .query()
                .listOfRows();
        assertThat(columns).extracting(row -> row.get("table_name")).contains((Object[]) expectedTables);
        List<String> hits = new ArrayList<>();
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            String condition = "bytea".equals(column.get("data_type"))
                    ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
                    : "strpos(\"" + name + "\"::text, ?) > 0";
            long count = jdbc.sql("SELECT count(*) FROM \"" + table + "\" WHERE " + condition)
                    .param(needle)
                    .query(Long.class)
                    .single();
            if (count > 0) {
                hits.add(table + "." + name);
            }
        }
        return hits;
    }
}
