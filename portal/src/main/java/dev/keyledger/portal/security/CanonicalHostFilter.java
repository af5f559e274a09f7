package dev.keyledger.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a GET for another host name of the portal (say {@code localhost} instead of
 * {@code 127.0.0.1}) to the configured base URL. The session cookie belongs to one host, and the
 * identity provider returns the browser to the one registered redirect URI, so a sign-in started
 * under another name would come back without its session.
 */
final class CanonicalHostFilter extends OncePerRequestFilter {

    private final URI baseUrl;

    CanonicalHostFilter(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (baseUrl != null
                && baseUrl.getHost() != null
                && "GET".equals(request.getMethod())
                && !request.getRequestURI().startsWith("/actuator/")
                && !request.getServerName().equalsIgnoreCase(baseUrl.getHost())) {
            String query = request.getQueryString();
            String path = request.getRequestURI();
            response.sendRedirect(baseUrl.resolve(path).toString() + (query == null ? "" : "?" + query));
            return;
        }
        chain.doFilter(request, response);
    }
}
