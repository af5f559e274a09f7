package dev.keyledger.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.console.Table;
import dev.keyledger.cli.http.Arguments;
import dev.keyledger.cli.http.ConnectionOptions;
import dev.keyledger.cli.http.ServiceClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger keys valid-at --org ORG INSTANT}: the keys that could be used at that instant,
 * each as it was then, from {@code GET /api/v1/organizations/{org}/api-keys?valid_at=}.
 */
@Command(
        name = "valid-at",
        mixinStandardHelpOptions = true,
        description = "List the keys of an organization that were usable at INSTANT, as they were then"
                + " (name, type, database, plan limits, allowed origins).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "2:usage error", "3:service or network error", "4:not signed in or not allowed"})
public final class ValidAtCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--org", required = true, paramLabel = "ORG", description = "organization id (org_...)")
    String organization;

    @Option(names = "--json", description = "print the service's JSON answer instead of a table")
    boolean json;

    @Parameters(index = "0", paramLabel = "INSTANT", description = "ISO-8601 instant, e.g. 2026-03-01T14:03:00Z")
    String instant;

    @Override
    public Integer call() {
        String org = Arguments.id(organization, "--org");
        Instant at = Arguments.instant(instant, "INSTANT");
        ServiceClient query = connection.queryService();
        ArrayNode data = allPages(
                query, "/api/v1/organizations/" + org + "/api-keys?valid_at=" + Arguments.query(at.toString()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            answer.set("data", data);
            out.println(answer.toString());
            out.flush();
            return ExitCodes.OK;
        }
        Table table =
                new Table("ID", "TYPE", "NAME", "DATABASE", "STATUS", "EXPIRES", "PLAN", "LIMITS/MIN,DAY", "ORIGINS");
        for (JsonNode key : data) {
            JsonNode limits = Json.first(key, "limits", "plan_limits");
            String perMinute = Json.text(limits, "requests_per_minute");
            String perDay = Json.text(limits, "requests_per_day");
            table.row(
                    Json.text(key, "id"),
                    Json.text(key, "type"),
                    Json.text(key, "name"),
                    Json.text(key, "database_id"),
                    Json.text(key, "status"),
                    Json.text(key, "expires_at"),
                    Json.text(key, "plan"),
                    limits == null
                            ? null
                            : (perMinute == null ? "-" : perMinute) + "," + (perDay == null ? "-" : perDay),
                    Json.text(key, "allowed_origins"));
        }
        table.print(out);
        spec.commandLine().getErr().println(table.size() + " keys valid at " + at);
        spec.commandLine().getErr().flush();
        return ExitCodes.OK;
    }

    /**
     * The {@code data} of every page, following {@code next_cursor} until the service sends none;
     * a cursor answered twice (a service that does not advance) is an error, not an endless loop.
     */
    private static ArrayNode allPages(ServiceClient query, String path) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        while (true) {
            JsonNode answer = query.getJson(cursor == null ? path : path + "&cursor=" + Arguments.query(cursor));
            JsonNode data = Json.data(answer);
            if (data == null) {
                throw new CliFailure(ExitCodes.SERVICE, "keyledger: the query-service answered no \"data\" list");
            }
            all.addAll((ArrayNode) data);
            JsonNode next = answer.get("next_cursor");
            if (next == null || next.isNull()) {
                return all;
            }
            if (!next.isTextual() || next.textValue().isEmpty()) {
                throw new CliFailure(
                        ExitCodes.SERVICE, "keyledger: the query-service answered a next_cursor that is not a string");
            }
            cursor = next.textValue();
            if (!seen.add(cursor)) {
                throw new CliFailure(
                        ExitCodes.SERVICE, "keyledger: the query-service answered the same next_cursor twice");
            }
        }
    }
}
