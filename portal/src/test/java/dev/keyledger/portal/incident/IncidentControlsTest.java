package dev.keyledger.portal.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.keyledger.portal.StubApis;
import dev.keyledger.portal.StubApis.Response;
import dev.keyledger.portal.StubbedPortalTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.OidcLoginRequestPostProcessor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The incident controls: {@code Suspend organization} and {@code Reactivate organization} for
 * platform admins, each confirmed in a dialog; the banner with the reason that everyone reading a
 * suspended organization sees; {@code Revoke all keys} with a dialog naming how many keys it
 * revokes; {@code Delete database} with a dialog naming the database and its keys. The real portal
 * in front of a stand-in for both APIs on loopback that records what the portal sent.
 */
@TestPropertySource(properties = "keyledger.portal.read-your-writes-timeout=1s")
class IncidentControlsTest extends StubbedPortalTest {

    static final String ORG = "org_01JH00000000000000000000IR";
    static final String DB = "db_01JH00000000000000000000IR";
    static final String KEY = "key_01JH0000000000000000000IR1";

    /** A call that changes something, as the stand-in got it. */
    record Call(String method, String path, String body) {}

    private static final AtomicBoolean SUSPENDED = new AtomicBoolean();

    @RegisterExtension
    static final StubApis API = new StubApis(IncidentControlsTest::answer);

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        API.register(registry);
    }

    @BeforeEach
    void reset() {
        SUSPENDED.set(false);
    }

    @Test
    void aPlatformAdminSuspendsAnOrganizationAfterConfirmingWithAReason() throws Exception {
        String organization = page(get("/organizations/" + ORG), platformAdmin());
        assertThat(organization).contains(">Suspend organization</a>").doesNotContain(">Reactivate organization</a>");

        String dialog = page(get("/organizations/" + ORG + "/suspend"), platformAdmin());
        assertThat(dialog)
                .contains("role=\"dialog\"")
                .contains("aria-labelledby=\"suspend-title\"")
                .contains("Suspend Acme?")
                .contains("<label for=\"reason\">Reason</label>")
                .contains(">Suspend organization</button>")
                .contains(">Cancel</a>");

        MvcResult result = mvc.perform(post("/organizations/" + ORG + "/suspend")
                        .param("reason", "Unpaid invoices")
                        .with(csrf())
                        .with(platformAdmin()))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(302);
        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/organizations/" + ORG);
        assertThat(writes())
                .contains(new Call(
                        "POST", "/api/v1/organizations/" + ORG + "/suspend", "{\"reason\":\"Unpaid invoices\"}"));
    }

    @Test
    void everyoneReadingASuspendedOrganizationSeesTheBannerWithTheReason() throws Exception {
        SUSPENDED.set(true);

        String page = page(get("/organizations/" + ORG), signedIn("bob", ORG, "org_member"));

        assertThat(page)
                .contains("id=\"suspension-banner\"")
                .contains("This organization is suspended.")
                .contains("Unpaid invoices");
        assertThat(page(get("/organizations/" + ORG + "/databases"), signedIn("alice", ORG, "org_admin")))
                .contains("This organization is suspended.");
    }

    @Test
    void anActiveOrganizationShowsNoBanner() throws Exception {
        assertThat(page(get("/organizations/" + ORG), signedIn("bob", ORG, "org_member")))
                .doesNotContain("suspension-banner");
    }

    @Test
    void aPlatformAdminReactivatesASuspendedOrganizationAfterConfirming() throws Exception {
        SUSPENDED.set(true);
        assertThat(page(get("/organizations/" + ORG), platformAdmin()))
                .contains(">Reactivate organization</a>")
                .doesNotContain(">Suspend organization</a>");

        String dialog = page(get("/organizations/" + ORG + "/reactivate"), platformAdmin());
        assertThat(dialog)
                .contains("role=\"dialog\"")
                .contains("Reactivate Acme?")
                .contains("Unpaid invoices")
                .contains(">Reactivate organization</button>")
                .contains(">Cancel</button>");

        MvcResult result = mvc.perform(post("/organizations/" + ORG + "/reactivate")
                        .with(csrf())
                        .with(platformAdmin()))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(302);
        assertThat(writes())
                .anyMatch(call -> call.method().equals("POST")
                        && call.path().equals("/api/v1/organizations/" + ORG + "/reactivate"));
    }

    @Test
    void anOrgAdminCannotSuspendAndSeesNoSuspendControl() throws Exception {
        OidcLoginRequestPostProcessor admin = signedIn("alice", ORG, "org_admin");
        assertThat(page(get("/organizations/" + ORG), admin)).doesNotContain("Suspend organization");

        MvcResult dialog = mvc.perform(get("/organizations/" + ORG + "/suspend").with(admin))
                .andReturn();
        MvcResult submit = mvc.perform(post("/organizations/" + ORG + "/suspend")
                        .param("reason", "x")
                        .with(csrf())
                        .with(admin))
                .andReturn();

        assertThat(dialog.getResponse().getStatus()).isEqualTo(403);
        assertThat(dialog.getResponse().getContentAsString()).contains("Access denied");
        assertThat(submit.getResponse().getStatus()).isEqualTo(403);
        assertThat(writes()).noneMatch(call -> call.path().endsWith("/suspend"));
    }

    @Test
    void revokeAllIsConfirmedInADialogThatNamesHowManyKeysItRevokes() throws Exception {
        OidcLoginRequestPostProcessor admin = signedIn("alice", ORG, "org_admin");

        String dialog = page(get("/organizations/" + ORG + "/api-keys/revoke-all"), admin);

        assertThat(dialog)
                .contains("role=\"dialog\"")
                .contains("Revoke all keys?")
                .contains("3 active keys")
                .contains("<label for=\"reason\">Reason</label>")
                .contains(">Revoke 3 keys</button>")
                .contains(">Cancel</a>");

        MvcResult result = mvc.perform(post("/organizations/" + ORG + "/api-keys/revoke-all")
                        .param("reason", "Leaked")
                        .with(csrf())
                        .with(admin))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(302);
        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/organizations/" + ORG + "/api-keys");
        assertThat(result.getFlashMap().get("notice")).isEqualTo("Revoked 3 keys.");
        assertThat(writes())
                .contains(new Call(
                        "POST", "/api/v1/organizations/" + ORG + "/api-keys/revoke-all", "{\"reason\":\"Leaked\"}"));
    }

    @Test
    void anOrgMemberCannotRevokeAll() throws Exception {
        MvcResult result = mvc.perform(post("/organizations/" + ORG + "/api-keys/revoke-all")
                        .param("reason", "x")
                        .with(csrf())
                        .with(signedIn("bob", ORG, "org_member")))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(writes()).noneMatch(call -> call.path().endsWith("/revoke-all"));
    }

    @Test
    void deletingADatabaseIsConfirmedInADialogNamingItAndItsKeys() throws Exception {
        OidcLoginRequestPostProcessor admin = signedIn("alice", ORG, "org_admin");

        String dialog = page(get("/organizations/" + ORG + "/databases/" + DB + "/delete"), admin);

        assertThat(dialog)
                .contains("role=\"dialog\"")
                .contains("Delete Main?")
                .contains("3 public keys")
                .contains(">Delete database</button>")
                .contains(">Cancel</button>");

        MvcResult result = mvc.perform(post("/organizations/" + ORG + "/databases/" + DB + "/delete")
                        .with(csrf())
                        .with(admin))
                .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(302);
        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/organizations/" + ORG + "/databases");
        assertThat(writes()).contains(new Call("DELETE", "/api/v1/organizations/" + ORG + "/databases/" + DB, ""));
    }

    @Test
    void aKeysHistoryShowsTheReasonOfItsRevocation() throws Exception {
        String page = page(get("/organizations/" + ORG + "/api-keys/" + KEY), signedIn("bob", ORG, "org_member"));

        assertThat(page)
                .contains("<td>api_key.revoked (reason: Leaked in a public repository)</td>")
                .contains("<td>api_key.issued</td>")
                .contains("<td>incident-bot</td>");
    }

    /** The calls the portal made to the APIs other than reads, in order. */
    private static List<Call> writes() {
        return API.calls.stream()
                .filter(call -> !call.method().equals("GET"))
                .map(call -> new Call(call.method(), call.path(), call.body()))
                .toList();
    }

    private OidcLoginRequestPostProcessor platformAdmin() {
        return signedIn("root", null, "platform_admin");
    }

    private static Response answer(StubApis.Call call) {
        String path = call.path();
        String method = call.method();
        String organization = "/api/v1/organizations/" + ORG;
        if (method.equals("GET") && path.equals(organization)) {
            return Response.ok(organizationJson());
        } else if (method.equals("GET") && path.equals("/api/v1/organizations")) {
            return Response.ok("{\"data\":[" + organizationJson() + "]}");
        } else if (method.equals("GET") && path.equals(organization + "/api-keys/" + KEY)) {
            return Response.ok(key(1).replace("\"status\":\"active\"", "\"status\":\"revoked\""));
        } else if (method.equals("GET") && path.equals(organization + "/api-keys/" + KEY + "/history")) {
            return Response.ok("{\"data\":[" + entry(0, "api_key.issued", "alice", "{}") + ","
                    + entry(1, "api_key.revoked", "incident-bot", "{\"reason\":\"Leaked in a public repository\"}")
                    + "]}");
        } else if (method.equals("GET") && path.equals(organization + "/api-keys/" + KEY + "/usage")) {
            return Response.ok("{\"data\":[]}");
        } else if (method.equals("GET") && path.equals(organization + "/api-keys")) {
            return Response.ok("{\"data\":[" + key(1) + "," + key(2) + "," + key(3) + "],\"next_cursor\":null}");
        } else if (method.equals("GET") && path.equals(organization + "/databases")) {
            return Response.ok("{\"data\":[{\"id\":\"" + DB + "\",\"organization_id\":\"" + ORG
                    + "\",\"name\":\"Main\"," + "\"allowed_origins\":[],\"created_at\":\"2026-01-01T00:00:00Z\"}]}");
        } else if (method.equals("POST") && path.equals(organization + "/suspend")) {
            SUSPENDED.set(true);
            return Response.ok(organizationJson());
        } else if (method.equals("POST") && path.equals(organization + "/reactivate")) {
            SUSPENDED.set(false);
            return Response.ok(organizationJson());
        } else if (method.equals("POST") && path.equals(organization + "/api-keys/revoke-all")) {
            return Response.ok("{\"revoked\":3}");
        } else if (method.equals("DELETE") && path.equals(organization + "/databases/" + DB)) {
            return new Response(204, null);
        } else {
            return Response.NOT_FOUND;
        }
    }

    private static String organizationJson() {
        return "{\"id\":\"" + ORG + "\",\"name\":\"Acme\",\"plan\":\"free\",\"limits\":{\"requests_per_minute\":10,"
                + "\"requests_per_day\":1000},\"created_at\":\"2026-01-01T00:00:00Z\","
                + (SUSPENDED.get()
                        ? "\"status\":\"suspended\",\"suspended_reason\":\"Unpaid invoices\","
                                + "\"suspended_at\":\"2026-01-02T00:00:00Z\"}"
                        : "\"status\":\"active\"}");
    }

    private static String entry(int sequence, String type, String subject, String details) {
        return "{\"event_id\":\"evt_" + sequence + "\",\"aggregate_id\":\"" + KEY + "\",\"aggregate_type\":\"api_key\","
                + "\"sequence\":" + sequence + ",\"type\":\"" + type + "\",\"occurred_at\":\"2026-01-01T00:00:0"
                + sequence
                + "Z\",\"actor\":{\"subject\":\"" + subject + "\",\"ip\":\"203.0.113.7\",\"user_agent\":\"x\"},"
                + "\"details\":" + details + "}";
    }

    private static String key(int n) {
        return "{\"id\":\"key_01JH0000000000000000000IR" + n + "\",\"type\":\"public\",\"name\":\"k" + n
                + "\",\"organization_id\":\"" + ORG + "\",\"database_id\":\"" + DB + "\",\"last_four\":\"abcd\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":\"alice\",\"expires_at\":null,"
                + "\"status\":\"active\",\"last_used_at\":null,\"usage_count\":0}";
    }
}
