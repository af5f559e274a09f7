package dev.keyledger.portal.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The Security log page: a platform admin reaches it from the navigation and reads one page of the
 * read API's security log with the filters it was given; anyone else has no link and gets Access
 * denied; a malformed filter is a 400 page that never reaches the read API. The real portal in front
 * of a stand-in read API that records every call.
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
class SecurityLogPageTest {

    static final String ORG = "org_01JH0000000000000000000001";

    private static final ReadApi API = new ReadApi();

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        registry.add("keyledger.portal.command-url", API::url);
        registry.add("keyledger.portal.query-url", API::url);
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ClientRegistrationRepository registrations;

    @BeforeEach
    void reset() {
        API.calls.clear();
    }

    @Test
    void aPlatformAdminReadsOnePageWithItsFiltersFromTheNavigation() throws Exception {
        MvcResult result =
                page("/security-log?from=2026-12-01T00:00&to=&organization_id=" + ORG, null, "platform_admin");
        String html = result.getResponse().getContentAsString();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(API.calls)
                .containsExactly("/api/v1/security-log?from=2026-12-01T00:00:00Z&organization_id=" + ORG + "&limit=50");
        assertThat(html)
                .contains("<a href=\"/security-log\">Security log</a>")
                .contains("<h1>Security log</h1>")
                .contains("<label for=\"organization_id\">Organization ID</label>")
                .contains("Refused calls, newest first")
                .contains("organization_mismatch")
                .contains("GET /api/v1/organizations/{organizationId}/api-keys")
                .contains("mallory")
                .contains("203.0.113.7")
                .contains("aria-label=\"Next page\"")
                .contains("cursor=NEXT1&amp;page=2");
    }

    @Test
    void anOrgAdminHasNoLinkAndIsDenied() throws Exception {
        MvcResult result = page("/security-log", ORG, "org_admin");
        String html = result.getResponse().getContentAsString();

        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(html).contains("Access denied").doesNotContain(">Security log</a>");
        assertThat(API.calls).isEmpty();
    }

    @Test
    void aMalformedOrganizationIdIsA400PageThatNeverReachesTheReadApi() throws Exception {
        MvcResult result = page("/security-log?organization_id=org_x%27%20OR%201%3D1", null, "platform_admin");

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentAsString()).contains("Organization ID must look like");
        assertThat(API.calls).isEmpty();
    }

    private MvcResult page(String path, String organization, String role) throws Exception {
        return mvc.perform(get(path)
                        .session(new MockHttpSession())
                        .with(oidcLogin()
                                .clientRegistration(registrations.findByRegistrationId("keyledger"))
                                .idToken(token -> {
                                    token.subject("root").claim("roles", List.of(role));
                                    if (organization != null) {
                                        token.claim("organization_id", organization);
                                    }
                                })))
                .andReturn();
    }

    /** The read API's security log: one entry and a next cursor. */
    static final class ReadApi implements AutoCloseable {

        final List<String> calls = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        ReadApi() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            calls.add(path + (query == null ? "" : "?" + query));
            String body = path.equals("/api/v1/security-log")
                    ? "{\"data\":[{\"id\":\"5f0c2b1e-8d8e-4a8e-9a57-0c3e6d9c1f00\",\"occurred_at\":"
                            + "\"2026-12-02T01:00:00Z\",\"service\":\"query-service\",\"status\":403,\"reason\":"
                            + "\"organization_mismatch\",\"method\":\"GET\",\"route\":"
                            + "\"/api/v1/organizations/{organizationId}/api-keys\",\"subject\":\"mallory\",\"ip\":"
                            + "\"203.0.113.7\",\"organization_id\":\"" + ORG + "\"}],"
                            + "\"next_cursor\":\"NEXT1\",\"prev_cursor\":null}"
                    : "{\"data\":[]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
