package dev.keyledger.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The portal's browser-facing protections, on the real portal (its own {@code portal.yml}, its
 * security chain, Thymeleaf, the token relay) in front of {@link StubApis}, which answers as the APIs
 * do. Sign-in is simulated with an OIDC principal and an authorized client in the session, as the
 * login flow leaves them.
 */
@TestPropertySource(
        properties = {
            "logging.level.dev.keyledger=DEBUG",
            "logging.level.org.springframework.web=DEBUG",
            "logging.level.org.springframework.security=DEBUG",
            "logging.level.org.springframework.http=DEBUG"
        })
@ExtendWith(OutputCaptureExtension.class)
class PortalSecurityTest extends StubbedPortalTest {

    private static final StubApis APIS = new StubApis();
    private static final String KEYS = "/organizations/" + StubApis.ORGANIZATION + "/api-keys";

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        registry.add("keyledger.portal.command-url", APIS::url);
        registry.add("keyledger.portal.query-url", APIS::url);
    }

    @AfterAll
    static void stopApis() {
        APIS.close();
    }

    @LocalServerPort
    int port;

    private MockHttpSession session;

    @BeforeEach
    void freshSession() {
        session = new MockHttpSession();
        APIS.calls.clear();
    }

    @Test
    void sendsAnUnsignedVisitorToSignInAndGivesTheSessionCookieItsOwnNameHttpOnlyAndSameSiteLax() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + KEYS))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/oauth2/authorization/keyledger");
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("KEYLEDGER_PORTAL_SESSION="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("JSESSIONID");
    }

    @Test
    void servesPagesWithAPolicyThatAllowsNoInlineScriptAndNoFraming() throws Exception {
        MvcResult page = mvc.perform(signedIn(get(KEYLEDGER_KEYS()))).andReturn();

        assertThat(page.getResponse().getStatus()).isEqualTo(200);
        String policy = page.getResponse().getHeader("Content-Security-Policy");
        assertThat(policy)
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.getResponse().getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.getResponse().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.getResponse().getContentAsString())
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContain("onclick=");
    }

    /** The access token of the simulated sign-in is spring-security-test's default, {@code access-token}. */
    @Test
    void relaysTheSignedInUsersAccessTokenToTheApis() throws Exception {
        mvc.perform(signedIn(get(KEYLEDGER_KEYS()))).andReturn();

        assertThat(APIS.calls)
                .isNotEmpty()
                .allSatisfy(call -> assertThat(call.authorization()).isEqualTo("Bearer access-token"));
    }

    @Test
    void refusesAFormSubmissionWithoutTheCsrfTokenAndCallsNoApi() throws Exception {
        String formToken = formToken();
        APIS.calls.clear();

        MvcResult refused = mvc.perform(signedIn(post(KEYS).param("name", "ci").param("form_token", formToken)))
                .andReturn();

        assertThat(refused.getResponse().getStatus()).isEqualTo(403);
        assertThat(APIS.calls).noneMatch(call -> call.method().equals("POST"));
    }

    @Test
    void showsANewSecretKeyInExactlyOneResponseAndNowhereElse(CapturedOutput output) throws Exception {
        List<String> bodies = new ArrayList<>();
        bodies.add(mvc.perform(signedIn(get(KEYS))).andReturn().getResponse().getContentAsString());
        String newForm = mvc.perform(signedIn(get(KEYS + "/new")))
                .andReturn()
                .getResponse()
                .getContentAsString();
        bodies.add(newForm);
        String formToken = field(newForm, "form_token");

        MvcResult created = mvc.perform(
                        signedIn(post(KEYS).with(csrf()).param("name", "ci").param("form_token", formToken)))
                .andReturn();
        bodies.add(created.getResponse().getContentAsString());
        // The browser sends the same form again (reload, back button): nothing is created or shown.
        MvcResult resent = mvc.perform(
                        signedIn(post(KEYS).with(csrf()).param("name", "ci").param("form_token", formToken)))
                .andReturn();
        bodies.add(resent.getResponse().getContentAsString());
        bodies.add(mvc.perform(signedIn(get(KEYS))).andReturn().getResponse().getContentAsString());

        assertThat(APIS.issuedKeys).hasSize(1);
        String plaintext = APIS.issuedKeys.getFirst();
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        assertThat(created.getResponse().getHeader("Cache-Control")).contains("no-store");
        assertThat(created.getResponse().getContentAsString())
                .contains("aria-labelledby=\"new-key-label\"")
                .contains(">New API key<")
                .contains(">Copy</button>")
                .contains("shown only once");
        assertThat(resent.getResponse().getStatus()).isEqualTo(409);
        assertThat(bodies.stream().filter(body -> body.contains(plaintext))).hasSize(1);
        assertThat(output.getAll()).doesNotContain(plaintext).doesNotContain(plaintext.substring(3, 40));
        assertThat(serializedSession()).doesNotContain(plaintext);
        assertThat(Collections.list(session.getAttributeNames())).isNotEmpty();
    }

    @Test
    void showsTheAccessDeniedPageWithStatus403ForAnotherOrganizationsUrl() throws Exception {
        MvcResult denied = mvc.perform(signedIn(get("/organizations/" + StubApis.FOREIGN + "/api-keys")))
                .andReturn();

        assertThat(denied.getResponse().getStatus()).isEqualTo(403);
        assertThat(denied.getResponse().getContentAsString()).contains("<h1>Access denied</h1>");
    }

    @Test
    void showsAMemberNoCreateRollOrRevokeControls() throws Exception {
        String page = mvc.perform(signedIn(get(KEYS), "org_member"))
                .andReturn()
                .getResponse()
                .getContentAsString();

        assertThat(page)
                .contains("old key")
                .doesNotContain("Create API Key")
                .doesNotContain(">Revoke<")
                .doesNotContain(">Roll<");
    }

    private static String KEYLEDGER_KEYS() {
        return KEYS;
    }

    private String formToken() throws Exception {
        return field(
                mvc.perform(signedIn(get(KEYS + "/new")))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(),
                "form_token");
    }

    private MockHttpServletRequestBuilder signedIn(MockHttpServletRequestBuilder request) {
        return signedIn(request, "org_admin");
    }

    private MockHttpServletRequestBuilder signedIn(MockHttpServletRequestBuilder request, String role) {
        return request.session(session).with(signedIn("alice", StubApis.ORGANIZATION, role));
    }

    private String serializedSession() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String name : Collections.list(session.getAttributeNames())) {
            Object value = session.getAttribute(name);
            all.append(name).append('=').append(value);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            } catch (java.io.NotSerializableException notSerializable) {
                // Its toString() above still counts.
            }
            all.append(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    private static String field(String html, String name) {
        Matcher matcher =
                Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertThat(matcher.find()).as("field %s in %s", name, html).isTrue();
        return matcher.group(1);
    }
}
