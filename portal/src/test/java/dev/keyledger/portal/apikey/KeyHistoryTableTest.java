package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.keyledger.portal.StubApis;
import dev.keyledger.portal.StubApis.Call;
import dev.keyledger.portal.StubApis.Response;
import dev.keyledger.portal.StubbedPortalTest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A key's page replays its life: the history table (named by its heading {@code History}) has one
 * row per event with the event, time, actor, source address and the key's state after it, as the
 * read API's history answers them. The real portal in front of a stand-in read API on loopback.
 */
class KeyHistoryTableTest extends StubbedPortalTest {

    static final String ORG = "org_01JH0000000000000000000009";
    static final String KEY = "key_01JH0000000000000000000009";
    static final String SUCCESSOR = "key_01JH000000000000000000000S";

    @RegisterExtension
    static final StubApis API = new StubApis(KeyHistoryTableTest::answer);

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        API.register(registry);
    }

    @Test
    void theHistoryTableShowsEveryEventWithActorSourceAddressAndTheStateAfterIt() throws Exception {
        String page = page("/organizations/" + ORG + "/api-keys/" + KEY);

        String table = table(page);
        assertThat(table).contains("aria-labelledby=\"history-title\"");
        assertThat(page).contains("<h2 id=\"history-title\">History</h2>");
        assertThat(headers(table)).containsExactly("Event", "Time", "Actor", "Source address", "State after");
        List<List<String>> rows = rows(table);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0))
                .containsExactly(
                        "api_key.issued",
                        "2026-01-01 00:00:00 UTC",
                        "alice",
                        "203.0.113.7",
                        "active; name first; expires 2030-01-01 00:00:00 UTC");
        assertThat(rows.get(1).get(0)).isEqualTo("api_key.renamed");
        assertThat(rows.get(1).get(4)).isEqualTo("active; name second; expires 2030-01-01 00:00:00 UTC");
        assertThat(rows.get(2).get(4))
                .isEqualTo("active; name second; expires 2026-01-02 00:00:00 UTC; successor " + SUCCESSOR);
        assertThat(rows.get(3).subList(0, 4))
                .containsExactly("api_key.revoked", "2026-01-01 02:00:00 UTC", "bob", "198.51.100.2");
        assertThat(rows.get(3).get(4))
                .isEqualTo("revoked; name second; expires 2026-01-02 00:00:00 UTC; successor " + SUCCESSOR);
    }

    private String page(String path) throws Exception {
        return page(get(path), signedIn("alice", ORG, "org_member"));
    }

    private static String table(String html) {
        Matcher section = Pattern.compile("<section aria-labelledby=\"history-title\">(.*?)</section>", Pattern.DOTALL)
                .matcher(html);
        assertThat(section.find()).as("history section").isTrue();
        return section.group(1);
    }

    private static List<String> headers(String table) {
        return Pattern.compile("<th scope=\"col\">([^<]*)</th>")
                .matcher(table)
                .results()
                .map(match -> match.group(1).strip())
                .toList();
    }

    private static List<List<String>> rows(String table) {
        String body = table.substring(table.indexOf("<tbody>"));
        return Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL)
                .matcher(body)
                .results()
                .map(row -> Pattern.compile("<td>([^<]*)</td>")
                        .matcher(row.group(1))
                        .results()
                        .map(cell -> cell.group(1).strip().replace("&#39;", "'"))
                        .toList())
                .toList();
    }

    private static Response answer(Call call) {
        String path = call.path();
        String key = "/api/v1/organizations/" + ORG + "/api-keys/" + KEY;
        if (path.equals(key)) {
            return Response.ok("{\"id\":\"" + KEY + "\",\"type\":\"secret\",\"name\":\"second\",\"organization_id\":\""
                    + ORG + "\",\"database_id\":null,\"masked\":\"sk_...abcd\",\"last_four\":\"abcd\","
                    + "\"created_at\":\"2026-01-01T00:00:00Z\",\"created_by\":\"alice\","
                    + "\"expires_at\":\"2026-01-02T00:00:00Z\",\"status\":\"revoked\",\"revoked_at\":"
                    + "\"2026-01-01T02:00:00Z\",\"revoked_by\":\"bob\",\"replaced_by\":\"" + SUCCESSOR
                    + "\",\"last_used_at\":null,\"usage_count\":0,\"age_days\":1}");
        } else if (path.equals(key + "/history")) {
            return Response.ok("{\"data\":["
                    + String.join(
                            ",",
                            entry(
                                    0,
                                    "api_key.issued",
                                    "2026-01-01T00:00:00Z",
                                    "alice",
                                    "203.0.113.7",
                                    state("active", "first", "2030-01-01T00:00:00Z", null)),
                            entry(
                                    1,
                                    "api_key.renamed",
                                    "2026-01-01T00:30:00Z",
                                    "alice",
                                    "203.0.113.7",
                                    state("active", "second", "2030-01-01T00:00:00Z", null)),
                            entry(
                                    2,
                                    "api_key.rolled",
                                    "2026-01-01T01:00:00Z",
                                    "alice",
                                    "203.0.113.7",
                                    state("active", "second", "2026-01-02T00:00:00Z", SUCCESSOR)),
                            entry(
                                    3,
                                    "api_key.revoked",
                                    "2026-01-01T02:00:00Z",
                                    "bob",
                                    "198.51.100.2",
                                    state("revoked", "second", "2026-01-02T00:00:00Z", SUCCESSOR)))
                    + "]}");
        } else if (path.equals(key + "/usage")) {
            return Response.ok("{\"data\":[]}");
        } else {
            return Response.NOT_FOUND;
        }
    }

    private static String entry(int sequence, String type, String at, String subject, String ip, String state) {
        return "{\"event_id\":\"evt_" + sequence + "\",\"aggregate_id\":\"" + KEY + "\",\"aggregate_type\":\"api_key\","
                + "\"sequence\":" + sequence + ",\"type\":\"" + type + "\",\"occurred_at\":\"" + at + "\","
                + "\"actor\":{\"subject\":\"" + subject + "\",\"ip\":\"" + ip + "\",\"user_agent\":\"portal/1.0\"},"
                + "\"details\":{},\"state\":" + state + "}";
    }

    private static String state(String status, String name, String expiresAt, String replacedBy) {
        return "{\"status\":\"" + status + "\",\"name\":\"" + name + "\",\"expires_at\":\"" + expiresAt
                + "\",\"replaced_by\":" + (replacedBy == null ? "null" : "\"" + replacedBy + "\"") + "}";
    }
}
