package dev.keyledger.portal.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.keyledger.portal.StubApis;
import dev.keyledger.portal.StubApis.Call;
import dev.keyledger.portal.StubApis.Response;
import dev.keyledger.portal.StubbedPortalTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The Security log page: a platform admin reaches it from the navigation and reads one page of the
 * read API's security log with the filters it was given; anyone else has no link and gets Access
 * denied; a malformed filter is a 400 page that never reaches the read API. The real portal in front
 * of a stand-in read API that records every call.
 */
class SecurityLogPageTest extends StubbedPortalTest {

    static final String ORG = "org_01JH0000000000000000000001";

    @RegisterExtension
    static final StubApis API = new StubApis(SecurityLogPageTest::answer);

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        API.register(registry);
    }

    @Test
    void aPlatformAdminReadsOnePageWithItsFiltersFromTheNavigation() throws Exception {
        MvcResult result =
                page("/security-log?from=2026-12-01T00:00&to=&organization_id=" + ORG, null, "platform_admin");
        String html = result.getResponse().getContentAsString();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(API.targets())
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
        assertThat(API.targets()).isEmpty();
    }

    @Test
    void aMalformedOrganizationIdIsA400PageThatNeverReachesTheReadApi() throws Exception {
        MvcResult result = page("/security-log?organization_id=org_x%27%20OR%201%3D1", null, "platform_admin");

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentAsString()).contains("Organization ID must look like");
        assertThat(API.targets()).isEmpty();
    }

    private MvcResult page(String path, String organization, String role) throws Exception {
        return fetch(get(path), signedIn("root", organization, role));
    }

    /** The read API's security log: one entry and a next cursor. */
    private static Response answer(Call call) {
        return Response.ok(
                call.path().equals("/api/v1/security-log")
                        ? "{\"data\":[{\"id\":\"5f0c2b1e-8d8e-4a8e-9a57-0c3e6d9c1f00\",\"occurred_at\":"
                                + "\"2026-12-02T01:00:00Z\",\"service\":\"query-service\",\"status\":403,\"reason\":"
                                + "\"organization_mismatch\",\"method\":\"GET\",\"route\":"
                                + "\"/api/v1/organizations/{organizationId}/api-keys\",\"subject\":\"mallory\",\"ip\":"
                                + "\"203.0.113.7\",\"organization_id\":\"" + ORG + "\"}],"
                                + "\"next_cursor\":\"NEXT1\",\"prev_cursor\":null}"
                        : "{\"data\":[]}");
    }
}
