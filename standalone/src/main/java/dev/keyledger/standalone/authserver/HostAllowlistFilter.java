package dev.keyledger.standalone.authserver;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose {@code Host} names anything but an allowed host. The provider signs
 * tokens for anyone who asks, so a web page that rebinds its own name to 127.0.0.1 must not reach
 * it: such a request carries the page's host name, which is not on the list.
 */
final class HostAllowlistFilter extends OncePerRequestFilter {

    private static final byte[] REFUSAL =
            "{\"error\":\"forbidden\",\"message\":\"Host not allowed\",\"code\":\"HOST_NOT_ALLOWED\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private final Set<String> allowed;

    HostAllowlistFilter(List<String> allowed) {
        this.allowed =
                allowed.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!allowed(Collections.list(request.getHeaders("Host")))) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("application/json");
            response.getOutputStream().write(REFUSAL);
            return;
        }
        chain.doFilter(request, response);
    }

    /** True when the request carries exactly one {@code Host} header naming an allowed host, any port. */
    boolean allowed(List<String> hostHeaders) {
        if (hostHeaders == null || hostHeaders.size() != 1) {
            return false;
        }
        String host = hostHeaders.getFirst().strip().toLowerCase(Locale.ROOT);
        int portSeparator = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (portSeparator > 0) {
            String port = host.substring(portSeparator + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
                return false;
            }
            host = host.substring(0, portSeparator);
        }
        return allowed.contains(host);
    }
}
