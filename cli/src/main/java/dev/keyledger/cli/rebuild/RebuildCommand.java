package dev.keyledger.cli.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.cli.CliFailure;
import dev.keyledger.cli.ExitCodes;
import dev.keyledger.cli.console.Progress;
import dev.keyledger.cli.http.ConnectionOptions;
import dev.keyledger.cli.http.ServiceClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keyledger rebuild}: {@code POST /api/v1/admin/rebuild}, then polls {@code GET} until the
 * state is no longer {@code running}, drawing percent and events per second on stderr. The last
 * state goes to stdout as one line.
 */
@Command(
        name = "rebuild",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuild the query-service's read models from the event topic (platform_admin) and follow it.",
            "Progress (percent, events per second) is drawn on stderr when it is a terminal, or with --progress."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the rebuild finished (state idle)",
            "1:the rebuild failed (state failed; the reason is printed)",
            "2:usage error",
            "3:service or network error, or a rebuild was already running (409) without --attach",
            "4:not signed in or not a platform_admin"
        })
public final class RebuildCommand implements Callable<Integer> {

    private static final String PATH = "/api/v1/admin/rebuild";

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--attach", description = "when a rebuild is already running (409), follow it instead of failing")
    boolean attach;

    @Option(names = "--no-wait", description = "start it and return without following it")
    boolean noWait;

    @Option(
            names = "--interval",
            paramLabel = "MILLIS",
            defaultValue = "1000",
            description = "poll interval in milliseconds, 100 to 60000 (default: ${DEFAULT-VALUE})")
    long intervalMillis;

    @Option(
            names = "--progress",
            negatable = true,
            description = "draw the progress bar (default: only when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() {
        if (intervalMillis < 100 || intervalMillis > 60_000) {
            throw CliFailure.usage("--interval must be 100 to 60000 milliseconds");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServiceClient query = connection.queryService();
        JsonNode status;
        try {
            status = query.post(PATH).body();
        } catch (CliFailure refused) {
            if (!attach || refused.httpStatus() != 409) {
                throw refused;
            }
            err.println("keyledger: a rebuild is already running; following it");
            err.flush();
            status = query.getJson(PATH);
        }
        if (noWait) {
            out.println("rebuild " + text(status, "state") + " (started " + text(status, "started_at") + ")");
            out.flush();
            return ExitCodes.OK;
        }
        Progress bar = Progress.on(err, progress);
        while ("running".equals(text(status, "state"))) {
            bar.bar(number(status, "percent"), rate(status));
            LockSupport.parkNanos(Duration.ofMillis(intervalMillis).toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new CliFailure(ExitCodes.SERVICE, "keyledger: interrupted");
            }
            status = query.getJson(PATH);
        }
        bar.force();
        bar.bar(number(status, "percent"), rate(status));
        bar.done();
        String state = text(status, "state");
        if ("failed".equals(state)) {
            throw new CliFailure(
                    ExitCodes.FAILED,
                    "keyledger: the rebuild failed: "
                            + (status.hasNonNull("reason") ? text(status, "reason") : "no reason given"));
        }
        out.println(String.format(
                Locale.ROOT,
                "rebuild %s: %.1f%%, %s (started %s)",
                state,
                number(status, "percent"),
                rate(status),
                text(status, "started_at")));
        out.flush();
        return ExitCodes.OK;
    }

    private static String rate(JsonNode status) {
        return Progress.thousands(Math.round(number(status, "events_per_second"))) + " events/s";
    }

    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? "-" : value.asText().replaceAll("\\p{Cntrl}", " ");
    }

    private static double number(JsonNode node, String member) {
        JsonNode value = node.get(member);
        return value != null && value.isNumber() ? value.asDouble() : 0;
    }
}
