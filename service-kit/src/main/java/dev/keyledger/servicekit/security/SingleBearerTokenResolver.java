package dev.keyledger.servicekit.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Spring Security's bearer token resolution, refusing a request with more than one {@code
 * Authorization} header. The default resolver reads only the first, so a second header would be
 * silently ignored, and a proxy or log that reads the last one would see another caller than the
 * API does (RFC 6750 section 2: at most one method of sending the token). The refusal goes to the
 * chain's entry point: 401 INVALID_TOKEN.
 */
final class SingleBearerTokenResolver implements BearerTokenResolver {

    static final String MULTIPLE_HEADERS = "Found multiple Authorization headers in the request";

    private final BearerTokenResolver delegate = new DefaultBearerTokenResolver();

    @Override
    public String resolve(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(HttpHeaders.AUTHORIZATION);
        if (headers != null && headers.hasMoreElements()) {
            headers.nextElement();
            if (headers.hasMoreElements()) {
                throw new OAuth2AuthenticationException(BearerTokenErrors.invalidRequest(MULTIPLE_HEADERS));
            }
        }
        return delegate.resolve(request);
    }
}
