package dev.keyledger.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.console.Table;
import dev.keyledger.cli.http.Arguments;
import dev.keyledger.cli.http.ConnectionOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger keys history --org ORG KEY}: every event of a key, oldest first, from
 * {@code GET .../api-keys/{key}/history}, with actor, source address, and the key's state after the
 * event when the answer carries it (a {@code state} object: status, name, expiry, successor).
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show every event of a key, oldest first: event, time, actor, source address, and the"
                + " key's state after it when the service gives it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:shown",
            "2:usage error",
            "3:service or network error (404: no such key)",
            "4:not signed in or not allowed"
        })
public final class HistoryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "organization id (org_...)")
    String organization;

    @Option(names = "--json", description = "print the service's JSON answer instead of a table")
    boolean json;

    @Parameters(index = "0", paramLabel = "KEY", description = "key id (key_...)")
    String key;

    @Override
    public Integer call() {
        String org = Arguments.id(organization, "--org");
        String keyId = Arguments.id(key, "KEY");
        JsonNode answer =
                connection.queryService().getJson("/api/v1/organizations/" + org + "/api-keys/" + keyId + "/history");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(answer.toString());
            out.flush();
            return ExitCodes.OK;
        }
        JsonNode data = Json.data(answer);
        if (data == null) {
            throw new CliFailure(ExitCodes.SERVICE, "keyledger: the query-service answered no \"data\" list");
        }
        boolean withState = false;
        for (JsonNode entry : data) {
            withState |= state(entry) != null;
        }
        Table table = withState
                ? new Table("EVENT", "TIME", "ACTOR", "SOURCE ADDRESS", "STATUS", "NAME", "EXPIRES", "SUCCESSOR")
                : new Table("EVENT", "TIME", "ACTOR", "SOURCE ADDRESS");
        for (JsonNode entry : data) {
            List<String> cells = new ArrayList<>(List.of(
                    nonNull(Json.text(entry, "type")),
                    nonNull(Json.text(entry, "occurred_at")),
                    nonNull(Json.text(entry, "actor", "subject")),
                    nonNull(Json.text(entry, "actor", "ip"))));
            if (withState) {
                JsonNode state = state(entry);
                cells.add(nonNull(Json.text(state, "status")));
                cells.add(nonNull(Json.text(state, "name")));
                cells.add(nonNull(Json.text(state, "expires_at")));
                JsonNode successor = state == null ? null : Json.first(state, "replaced_by", "successor");
                cells.add(successor == null ? "" : successor.asText());
            }
            table.row(cells.toArray(String[]::new));
        }
        table.print(out);
        return ExitCodes.OK;
    }

    /** The key's state after the event, under whichever name the answer uses. */
    private static JsonNode state(JsonNode entry) {
        JsonNode state = Json.first(entry, "state", "state_after", "key_state");
        return state != null && state.isObject() ? state : null;
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
