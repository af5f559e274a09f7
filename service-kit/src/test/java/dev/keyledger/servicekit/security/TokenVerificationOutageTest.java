package dev.keyledger.servicekit.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.servicekit.error.ErrorBodyWriter;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token that cannot be checked because the identity provider's keys do not answer is a 503 with
 * the contract's error JSON and {@code Retry-After}, never a 500; a bad token stays the entry
 * point's 401.
 */
class TokenVerificationOutageTest {

    private final AuthenticationEntryPoint entryPoint =
            (request, response, exception) -> response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    private final ErrorBodyWriter writer =
            new ErrorBodyWriter(JsonMapper.builder().build());

    @Test
    void anUnreachableKeySourceIsA503() throws Exception {
        MockHttpServletResponse response = run(authentication -> {
            throw new AuthenticationServiceException("Couldn't retrieve remote JWK set");
        });

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getContentAsString())
                .contains("\"code\":\"SERVICE_UNAVAILABLE\"")
                .contains("\"error\":\"service_unavailable\"")
                .doesNotContain("JWK");
    }

    @Test
    void aBadTokenStaysA401() throws Exception {
        MockHttpServletResponse response = run(authentication -> {
            throw new InvalidBearerTokenException("bad signature");
        });

        assertThat(response.getStatus()).isEqualTo(401);
    }

    private MockHttpServletResponse run(AuthenticationManager manager) throws Exception {
        BearerTokenAuthenticationFilter filter = ServiceSecurityConfiguration.failureHandler(entryPoint, writer)
                .postProcess(new BearerTokenAuthenticationFilter(manager));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/organizations");
        request.addHeader("Authorization", "Bearer abc.def.ghi");
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
