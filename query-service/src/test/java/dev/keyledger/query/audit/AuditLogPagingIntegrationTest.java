package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyset paging of {@code GET .../audit-log} over 2,350 entries (times repeat, so the tie-breakers
 * aggregate_id and sequence decide): both orders walk every entry exactly once, a range and its
 * cursor belong together, bad limits and cursors are 400, and the NDJSON stream still carries
 * every entry.
 */
class AuditLogPagingIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int ENTRIES = 2_350;

    static String org;
    static String otherOrg;

    @BeforeEach
    void entries() {
        if (org != null) {
            return;
        }
        org = Ids.newOrganizationId();
        otherOrg = Ids.newOrganizationId();
        for (String organizationId : List.of(org, otherOrg)) {
            jdbc.update(
                    "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                            + " occurred_at, actor_subject, actor_ip, actor_user_agent, details)"
                            + " SELECT 'key_' || ? || (i % 40), i / 40, 'evt_' || ? || i, ?, 'api_key',"
                            + " 'api_key.renamed', timestamptz '2026-01-01T00:00:00Z' + (i / 9) * interval '1 second',"
                            + " 'alice', '203.0.113.7', 'portal/1.0', '{}' FROM generate_series(0, ?) AS i",
                    organizationId.substring(organizationId.length() - 10),
                    organizationId.substring(organizationId.length() - 10),
                    organizationId,
                    ENTRIES - 1);
        }
    }

    private List<String> expected(String sort, String range) {
        String direction = sort.startsWith("-") ? " DESC" : "";
        return jdbc.queryForList(
                "SELECT event_id FROM audit_log WHERE organization_id = ?" + range + " ORDER BY occurred_at" + direction
                        + ", aggregate_id" + direction + ", sequence" + direction,
                String.class,
                org);
    }

    private String path(String organizationId, String query) {
        return "/api/v1/organizations/" + organizationId + "/audit-log" + (query.isEmpty() ? "" : "?" + query);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return KeyledgerJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private List<String> walk(String query, List<Integer> sizes) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            String q = query + (cursor == null ? "" : "&cursor=" + encode(cursor));
            HttpResponse<String> response = get(path(org, q), TestTokens.member(org));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response);
            body.path("data").forEach(entry -> ids.add(entry.path("event_id").asText()));
            sizes.add(body.path("data").size());
            if (body.get("next_cursor").isNull()) {
                return ids;
            }
            cursor = body.get("next_cursor").asText();
        }
        throw new AssertionError("no end after 1000 pages");
    }

    @Test
    void bothOrdersWalkEveryEntryExactlyOnce() {
        for (String sort : List.of("occurred_at", "-occurred_at")) {
            List<Integer> sizes = new ArrayList<>();
            assertThat(walk("sort=" + sort + "&limit=1000", sizes))
                    .as(sort)
                    .doesNotHaveDuplicates()
                    .containsExactlyElementsOf(expected(sort, ""));
            assertThat(sizes).containsExactly(1000, 1000, 350);
        }
        List<Integer> sizes = new ArrayList<>();
        assertThat(walk("", sizes)).containsExactlyElementsOf(expected("occurred_at", ""));
        assertThat(sizes).hasSize(24).first().isEqualTo(100);
    }

    @Test
    void aRangeIsPagedWithinItself() {
        String range = "from=2026-01-01T00:01:00Z&to=2026-01-01T00:03:00Z";
        List<Integer> sizes = new ArrayList<>();
        assertThat(walk(range + "&sort=-occurred_at&limit=250", sizes))
                .containsExactlyElementsOf(expected(
                        "-occurred_at",
                        " AND occurred_at >= '2026-01-01T00:01:00Z' AND occurred_at < '2026-01-01T00:03:00Z'"));
        assertThat(sizes).hasSize(5);
        String cursor = json(get(path(org, range + "&limit=10"), TestTokens.member(org)))
                .get("next_cursor")
                .asText();
        // Another range or order: not this list's cursor.
        Refusals.assertRefused(
                get(path(org, "from=2026-01-01T00:01:00Z&limit=10&cursor=" + encode(cursor)), TestTokens.member(org)),
                "cursor");
        Refusals.assertRefused(
                get(path(org, range + "&sort=-occurred_at&cursor=" + encode(cursor)), TestTokens.member(org)),
                "cursor");
        Refusals.assertRefused(
                get(path(otherOrg, range + "&limit=10&cursor=" + encode(cursor)), TestTokens.member(otherOrg)),
                "cursor");
    }

    @Test
    void badLimitsSortsAndCursorsAreRefused() {
        for (String limit : List.of("0", "-5", "ten", "1001", "2.0")) {
            Refusals.assertRefused(get(path(org, "limit=" + encode(limit)), TestTokens.member(org)), "limit");
        }
        Refusals.assertRefused(get(path(org, "sort=time"), TestTokens.member(org)), "sort");
        for (String cursor : List.of("%%%", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x".repeat(2000))) {
            Refusals.assertRefused(get(path(org, "cursor=" + encode(cursor)), TestTokens.member(org)), "cursor");
        }
    }

    @Test
    void theNdjsonStreamCarriesEveryEntryOfTheRange() {
        HttpResponse<String> all = get(path(org, "sort=-occurred_at"), TestTokens.member(org), "application/x-ndjson");
        assertThat(all.statusCode()).isEqualTo(200);
        List<String> ids = all.body()
                .lines()
                .map(line -> json(line).path("event_id").asText())
                .toList();
        assertThat(ids).containsExactlyElementsOf(expected("-occurred_at", ""));

        // From a JSON page's next_cursor on, the stream carries the rest.
        String cursor = json(get(path(org, "limit=1000"), TestTokens.member(org)))
                .get("next_cursor")
                .asText();
        HttpResponse<String> rest =
                get(path(org, "cursor=" + encode(cursor)), TestTokens.member(org), "application/x-ndjson");
        assertThat(rest.body().lines().count()).isEqualTo(ENTRIES - 1000);

        Refusals.assertRefused(get(path(org, "limit=10"), TestTokens.member(org), "application/x-ndjson"), "limit");
    }

    private static JsonNode json(String line) {
        try {
            return KeyledgerJson.mapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** The 400 with the error JSON naming {@code field}. */
    static final class Refusals {
        static void assertRefused(HttpResponse<String> response, String field) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode body = json(response);
            assertThat(body.path("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(body.path("details").get(0).path("field").asText()).isEqualTo(field);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
