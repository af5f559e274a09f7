package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.keyledger.portal.StubApis;
import dev.keyledger.portal.StubApis.Call;
import dev.keyledger.portal.StubApis.Response;
import dev.keyledger.portal.StubbedPortalTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The API Keys page, a database's Widget Integration keys and the Audit log read one page of the
 * read API each (never the whole list), carry its cursors in their {@code Previous}/{@code Next}
 * links, sort the key table through header links, and start again at the first page when the read
 * API refuses a cursor. The real portal in front of a stand-in read API that records every call.
 */
class ListPagingTest extends StubbedPortalTest {

    static final String ORG = "org_01JH0000000000000000000001";
    static final String DB = "db_01JH0000000000000000000001";
    static final String API_PATH = "/api/v1/organizations/" + ORG;

    @RegisterExtension
    static final StubApis API = new StubApis(ListPagingTest::answer);

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        API.register(registry);
    }

    @Test
    void theApiKeysPageReadsOnePageNewestFirstAndLinksTheNextOne() throws Exception {
        String html = page("/organizations/" + ORG + "/api-keys").getResponse().getContentAsString();

        assertThat(keyCalls())
                .as("one page of the read API, never the whole list")
                .containsExactly(API_PATH + "/api-keys?type=secret&sort=-created_at&limit=50");
        assertThat(html)
                .contains("Secret keys, newest first")
                .contains("aria-label=\"Next page\"")
                .contains("cursor=NEXT1&amp;page=2")
                .doesNotContain("aria-label=\"Previous page\"")
                .contains(">Next</a>");
        // Header links: Created turns the order around, Name and Last used start their own.
        assertThat(html)
                .contains("aria-sort=\"descending\"")
                .contains("api-keys?sort=created_at\">Created</a>")
                .contains("api-keys?sort=name\">Name</a>")
                .contains("api-keys?sort=-last_used_at\">Last used</a>");
    }

    @Test
    void aLaterPageSendsItsCursorAndSortAndLinksBothWays() throws Exception {
        String html = page("/organizations/" + ORG + "/api-keys?sort=name&cursor=NEXT1&page=2")
                .getResponse()
                .getContentAsString();

        assertThat(keyCalls()).containsExactly(API_PATH + "/api-keys?type=secret&sort=name&limit=50&cursor=NEXT1");
        assertThat(html)
                .contains("Secret keys by name, A to Z")
                .contains("aria-label=\"Previous page\"")
                .contains("sort=name&amp;cursor=PREV2&amp;page=1")
                .contains("sort=name&amp;cursor=NEXT2&amp;page=3")
                .contains("Page 2")
                .contains("api-keys?sort=-name\">Name</a>");
    }

    @Test
    void aRefusedOrForgedCursorStartsAgainAtTheFirstPage() throws Exception {
        MvcResult refused = page("/organizations/" + ORG + "/api-keys?sort=-name&cursor=STALE");
        assertThat(refused.getResponse().getStatus()).isEqualTo(302);
        assertThat(refused.getResponse().getRedirectedUrl())
                .isEqualTo("/organizations/" + ORG + "/api-keys?sort=-name");

        API.calls.clear();
        page("/organizations/" + ORG + "/api-keys?cursor=%7Bx%7D%26limit%3D1");
        assertThat(keyCalls())
                .as("a cursor that is not base64url never reaches the read API")
                .containsExactly(API_PATH + "/api-keys?type=secret&sort=-created_at&limit=50");
        API.calls.clear();
        page("/organizations/" + ORG + "/api-keys?sort=bogus");
        assertThat(keyCalls()).containsExactly(API_PATH + "/api-keys?type=secret&sort=-created_at&limit=50");
    }

    @Test
    void theWidgetIntegrationPanelPagesTheDatabasesActivePublicKeys() throws Exception {
        String html = page("/organizations/" + ORG + "/databases/" + DB + "?cursor=NEXT1&page=2")
                .getResponse()
                .getContentAsString();

        assertThat(keyCalls())
                .containsExactly(API_PATH + "/api-keys?type=public&database_id=" + DB
                        + "&status=active&sort=-created_at&limit=50&cursor=NEXT1");
        assertThat(html)
                .contains("Widget Integration")
                .contains("databases/" + DB + "?cursor=PREV2&amp;page=1")
                .contains("databases/" + DB + "?cursor=NEXT2&amp;page=3");
    }

    @Test
    void theAuditLogReadsOnePageNewestFirst() throws Exception {
        String html = page("/organizations/" + ORG + "/audit-log?from=2026-01-01T00:00&to=&cursor=NEXT1&page=2")
                .getResponse()
                .getContentAsString();

        assertThat(API.targets().stream().filter(call -> call.contains("/audit-log")))
                .containsExactly(
                        API_PATH + "/audit-log?from=2026-01-01T00:00:00Z&sort=-occurred_at&limit=50&cursor=NEXT1");
        assertThat(html)
                .contains("api_key.issued")
                .contains("from=2026-01-01T00:00&amp;to=&amp;cursor=NEXT2&amp;page=3")
                .contains("aria-label=\"Previous page\"");

        MvcResult refused = page("/organizations/" + ORG + "/audit-log?from=2026-01-01T00:00&cursor=STALE");
        assertThat(refused.getResponse().getRedirectedUrl())
                .isEqualTo("/organizations/" + ORG + "/audit-log?from=2026-01-01T00:00&to=");
    }

    private List<String> keyCalls() {
        return API.targets().stream().filter(call -> call.contains("/api-keys")).toList();
    }

    private MvcResult page(String path) throws Exception {
        MvcResult result = fetch(get(path), signedIn("alice", ORG, "org_admin"));
        int status = result.getResponse().getStatus();
        assertThat(status).as(result.getResponse().getContentAsString()).isIn(200, 302);
        return result;
    }

    /**
     * The read API as far as these pages use it: the first page links NEXT1; the page at NEXT1 links
     * PREV2 and NEXT2; the cursor STALE is refused with 400 as the read API refuses a cursor.
     */
    private static Response answer(Call call) {
        String path = call.path();
        String query = call.query();
        String cursors = query != null && query.contains("cursor=NEXT1")
                ? "\"next_cursor\":\"NEXT2\",\"prev_cursor\":\"PREV2\""
                : "\"next_cursor\":\"NEXT1\",\"prev_cursor\":null";
        if (query != null && query.contains("cursor=STALE")) {
            return new Response(
                    400,
                    "{\"error\":\"bad_request\",\"message\":\"Invalid request\",\"code\":\"VALIDATION_FAILED\","
                            + "\"details\":[{\"field\":\"cursor\",\"message\":\"is not a cursor of this list\"}]}");
        } else if (path.equals(API_PATH + "/api-keys")) {
            boolean pub = query.contains("type=public");
            return Response.ok("{\"data\":[" + key(pub) + "]," + cursors + "}");
        } else if (path.equals(API_PATH + "/audit-log")) {
            return Response.ok("{\"data\":[{\"event_id\":\"evt_1\",\"aggregate_id\":\"key_01JH0000000000000000000010\","
                    + "\"aggregate_type\":\"api_key\",\"sequence\":1,\"type\":\"api_key.issued\","
                    + "\"occurred_at\":\"2026-01-02T00:00:00Z\",\"actor\":{\"subject\":\"alice\","
                    + "\"ip\":\"127.0.0.1\",\"user_agent\":\"x\"},\"details\":{}}]," + cursors + "}");
        } else if (path.equals(API_PATH + "/databases")) {
            return Response.ok("{\"data\":[{\"id\":\"" + DB + "\",\"organization_id\":\"" + ORG + "\",\"name\":\"web\","
                    + "\"allowed_origins\":[\"https://app.example.com\"],\"created_at\":\"" + Instant.now()
                    + "\"}]}");
        } else {
            return new Response(
                    503, "{\"error\":\"service_unavailable\",\"message\":\"busy\",\"code\":\"SERVICE_UNAVAILABLE\"}");
        }
    }

    private static String key(boolean pub) {
        return "{\"id\":\"key_01JH0000000000000000000010\",\"type\":\"" + (pub ? "public" : "secret")
                + "\",\"name\":\"first\",\"organization_id\":\"" + ORG + "\",\"database_id\":"
                + (pub ? "\"" + DB + "\",\"key\":\"pk_abc\"" : "null") + ",\"last_four\":\"abcd\","
                + "\"created_at\":\"" + Instant.now() + "\",\"created_by\":\"alice\",\"expires_at\":null,"
                + "\"status\":\"active\",\"last_used_at\":null,\"usage_count\":0}";
    }
}
