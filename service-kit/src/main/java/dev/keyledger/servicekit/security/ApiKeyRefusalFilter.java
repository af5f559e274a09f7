package dev.keyledger.servicekit.security;

import dev.keyledger.contracts.securitylog.RefusalReason;
import dev.keyledger.servicekit.error.ErrorBody;
import dev.keyledger.servicekit.error.ErrorBodyWriter;
import dev.keyledger.servicekit.securitylog.RefusalReasons;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A caller presenting an API key instead of a JWT is told plainly that keys cannot manage keys
 * (403), rather than the generic 401 a missing token would get. The key itself is never read.
 */
final class ApiKeyRefusalFilter extends OncePerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    static final String MESSAGE = "API keys cannot manage API keys";

    private final ErrorBodyWriter writer;

    ApiKeyRefusalFilter(ErrorBodyWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader(API_KEY_HEADER) != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            RefusalReasons.note(request, RefusalReason.API_KEY_PRESENTED);
            writer.write(response, HttpServletResponse.SC_FORBIDDEN, ErrorBody.forbidden(MESSAGE));
            return;
        }
        chain.doFilter(request, response);
    }
}
