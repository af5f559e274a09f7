package dev.keyledger.servicekit.error;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an error body with Jackson from places outside Spring MVC (security filters, entry points,
 * servlet filters), where no message converter runs. Thread safe.
 */
public final class ErrorBodyWriter {

    private final JsonMapper jsonMapper;

    public ErrorBodyWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** Writes any error record (the contract's shape) with {@code status}. */
    public void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        jsonMapper.writeValue(response.getOutputStream(), body);
    }
}
