package dev.keyledger.servicekit.error;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on a failed request, as the contract's error JSON rather than an HTML page
 * with the server's name. Tomcat instantiates it by class name, hence public with a no-argument
 * constructor and a mapper of its own; it writes only fixed texts ({@link ContainerErrors}), never
 * the request or the throwable.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(ContainerErrors.body(status)));
                writer.flush();
            }
        } catch (IOException | IllegalStateException e) {
            // The response is gone or already committed: nothing more can be said to the client.
        }
    }
}
