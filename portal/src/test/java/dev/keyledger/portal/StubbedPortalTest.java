package dev.keyledger.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;

import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.OidcLoginRequestPostProcessor;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The real portal (its own {@code portal.yml}, security chain, Thymeleaf and API clients) driven
 * through MockMvc, with sign-in simulated as an OIDC principal of the {@code keyledger}
 * registration; the registration's provider points at a closed port, so nothing signs in for real.
 * A subclass puts its {@link StubApis} in front of the portal: a {@code @RegisterExtension} static
 * field and a {@code @DynamicPropertySource} method that calls {@link StubApis#register}. Each
 * subclass so gets a Spring context of its own, pointing at its own stand-in.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=portal",
            "server.port=0",
            "management.server.port=0",
            "spring.security.oauth2.client.registration.keyledger.provider=stub",
            "spring.security.oauth2.client.provider.stub.authorization-uri=http://127.0.0.1:9/oauth2/authorize",
            "spring.security.oauth2.client.provider.stub.token-uri=http://127.0.0.1:9/oauth2/token",
            "spring.security.oauth2.client.provider.stub.jwk-set-uri=http://127.0.0.1:9/jwks",
            "spring.security.oauth2.client.provider.stub.user-name-attribute=sub"
        })
@AutoConfigureMockMvc
public abstract class StubbedPortalTest {

    @Autowired
    protected MockMvc mvc;

    @Autowired
    private ClientRegistrationRepository registrations;

    /** A signed-in {@code subject} with one {@code role}, of {@code organization} (none when null). */
    protected OidcLoginRequestPostProcessor signedIn(String subject, String organization, String role) {
        return oidcLogin()
                .clientRegistration(registrations.findByRegistrationId("keyledger"))
                .idToken(token -> {
                    token.subject(subject).claim("roles", List.of(role));
                    if (organization != null) {
                        token.claim("organization_id", organization);
                    }
                });
    }

    /** The portal's answer to {@code request} from {@code login} in a fresh session. */
    protected MvcResult fetch(MockHttpServletRequestBuilder request, OidcLoginRequestPostProcessor login)
            throws Exception {
        return mvc.perform(request.session(new MockHttpSession()).with(login)).andReturn();
    }

    /** The HTML of {@link #fetch}, which must be a 200 (the body is the failure's description). */
    protected String page(MockHttpServletRequestBuilder request, OidcLoginRequestPostProcessor login) throws Exception {
        MvcResult result = fetch(request, login);
        assertThat(result.getResponse().getStatus())
                .as(result.getResponse().getContentAsString())
                .isEqualTo(200);
        return result.getResponse().getContentAsString();
    }
}
