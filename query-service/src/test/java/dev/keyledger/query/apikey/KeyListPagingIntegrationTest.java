package dev.keyledger.query.apikey;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keyset paging of {@code GET .../api-keys} over 2,350 keys of one organization (rows written
 * straight into the projection tables, as the projection would): every sort walks every key
 * exactly once in the database's own order; the default and largest pages; a walk stays exact
 * while keys are added; bad limits and cursors, altered cursors and cursors of another sort,
 * filter or organization are 400 with the error JSON.
 */
class KeyListPagingIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final int KEYS = 2_350;
    private static final List<String> SORTS =
            List.of("created_at", "-created_at", "name", "-name", "last_used_at", "-last_used_at");

    static String org;
    static String otherOrg;

    @BeforeEach
    void keys() {
        if (org != null) {
            return;
        }
        org = Ids.newOrganizationId();
        otherOrg = Ids.newOrganizationId();
        insertKeys(org, KEYS, "2026-01-01T00:00:00Z");
        insertKeys(otherOrg, 30, "2026-01-01T00:00:00Z");
    }

    /**
     * {@code count} keys: creation times repeat in groups of seven (ties broken by id), names repeat
     * in groups of three with mixed case, every third key secret and revoked every fifth, and two keys
     * in three used at times that repeat too (the others never used).
     */
    private void insertKeys(String organizationId, int count, String epoch) {
        jdbc.update(
                "INSERT INTO api_keys (id, organization_id, database_id, type, name, key_hash, public_key, last_four,"
                        + " created_at, created_by, status, last_sequence)"
                        + " SELECT 'key_' || ? || lpad(i::text, 6, '0'), ?, NULL,"
                        + " CASE WHEN i % 3 = 0 THEN 'secret' ELSE 'public' END,"
                        + " CASE WHEN i % 2 = 0 THEN 'Key ' ELSE 'key ' END || (i / 3),"
                        + " md5(? || i), CASE WHEN i % 3 = 0 THEN NULL ELSE 'pk_x' || i END, lpad((i % 10000)::text, 4, '0'),"
                        + " timestamptz '" + epoch + "' + (i / 7) * interval '1 minute', 'alice',"
                        + " CASE WHEN i % 5 = 0 THEN 'revoked' ELSE 'active' END, 1"
                        + " FROM generate_series(0, ?) AS i",
                organizationId.substring(organizationId.length() - 10),
                organizationId,
                organizationId,
                count - 1);
        jdbc.update(
                "INSERT INTO key_usage (key_id, organization_id, usage_count, rejected_count, last_used_at)"
                        + " SELECT id, organization_id, 1, 0,"
                        + " timestamptz '2026-02-01T00:00:00Z' + (substr(id, 15)::int % 97) * interval '1 second'"
                        + " FROM api_keys WHERE organization_id = ? AND substr(id, 15)::int % 3 <> 1",
                organizationId);
    }

    /** The database's own order of the key ids for {@code sort} (the reference the pages must match). */
    private List<String> expected(String organizationId, String sort, String filter) {
        boolean descending = sort.startsWith("-");
        String column = descending ? sort.substring(1) : sort;
        String expression = switch (column) {
            case "created_at" -> "k.created_at";
            case "name" -> "k.name";
            default -> "COALESCE(u.last_used_at, '-infinity'::timestamptz)";
        };
        String direction = descending ? " DESC" : "";
        return jdbc.queryForList(
                "SELECT k.id FROM api_keys k LEFT JOIN key_usage u ON u.key_id = k.id WHERE k.organization_id = ?"
                        + filter + " ORDER BY " + expression + direction + ", k.id" + direction,
                String.class,
                organizationId);
    }

    private String path(String organizationId, String query) {
        return "/api/v1/organizations/" + organizationId + "/api-keys" + (query.isEmpty() ? "" : "?" + query);
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

    /** Follows next_cursor from the first page; {@code afterEachPage} runs between pages. */
    private List<String> walk(String query, Consumer<JsonNode> afterEachPage) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            String q = query + (cursor == null ? "" : "&cursor=" + encode(cursor));
            HttpResponse<String> response = get(path(org, q), TestTokens.member(org));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.has("next_cursor")).isTrue();
            body.path("data").forEach(key -> ids.add(key.path("id").asText()));
            afterEachPage.accept(body);
            if (body.get("next_cursor").isNull()) {
                return ids;
            }
            cursor = body.get("next_cursor").asText();
        }
        throw new AssertionError("no end after 1000 pages");
    }

    @Test
    void everySortWalksEveryKeyExactlyOnceInOrder() {
        for (String sort : SORTS) {
            List<Integer> sizes = new ArrayList<>();
            List<String> walked = walk(
                    "sort=" + sort + "&limit=1000",
                    page -> sizes.add(page.path("data").size()));
            assertThat(walked).as(sort).hasSize(KEYS).doesNotHaveDuplicates();
            assertThat(walked).as(sort).containsExactlyElementsOf(expected(org, sort, ""));
            assertThat(sizes).as(sort).containsExactly(1000, 1000, 350);
        }
    }

    @Test
    void theDefaultOrderIsTodaysAndTheDefaultPageHasAHundredKeys() {
        List<Integer> sizes = new ArrayList<>();
        List<String> walked = walk("", page -> sizes.add(page.path("data").size()));
        assertThat(walked).containsExactlyElementsOf(expected(org, "created_at", ""));
        assertThat(sizes).hasSize(24);
        assertThat(sizes.subList(0, 23)).containsOnly(100);
        assertThat(sizes.getLast()).isEqualTo(50);

        JsonNode first = json(get(path(org, ""), TestTokens.member(org)));
        assertThat(first.path("data")).hasSize(100);
        assertThat(first.get("prev_cursor").isNull()).isTrue();
        assertThat(json(get(path(org, "limit=1000"), TestTokens.member(org))).path("data"))
                .hasSize(1000);
        assertThat(json(get(path(org, "limit=1"), TestTokens.member(org))).path("data"))
                .hasSize(1);
    }

    @Test
    void prevCursorsWalkBackToTheFirstPage() {
        String sort = "-name";
        List<String> order = expected(org, sort, "");
        // Forward to the last page, then back with prev_cursor: the same pages in reverse.
        List<List<String>> forward = new ArrayList<>();
        walk("sort=" + sort + "&limit=300", page -> {
            List<String> ids = new ArrayList<>();
            page.path("data").forEach(key -> ids.add(key.path("id").asText()));
            forward.add(ids);
        });
        JsonNode page = json(get(
                path(org, "sort=" + sort + "&limit=300&cursor=" + encode(cursorBeforeLast(sort))),
                TestTokens.member(org)));
        List<List<String>> backward = new ArrayList<>();
        while (true) {
            List<String> ids = new ArrayList<>();
            page.path("data").forEach(key -> ids.add(key.path("id").asText()));
            backward.add(ids);
            if (page.get("prev_cursor").isNull()) {
                break;
            }
            page = json(get(
                    path(
                            org,
                            "sort=" + sort + "&limit=300&cursor="
                                    + encode(page.get("prev_cursor").asText())),
                    TestTokens.member(org)));
        }
        // Backward pages end at the first page, which is always full.
        assertThat(backward.getLast()).isEqualTo(order.subList(0, 300));
        assertThat(backward.getLast()).isEqualTo(forward.getFirst());
        assertThat(backward.stream().flatMap(List::stream).toList()).doesNotHaveDuplicates();
        for (List<String> ids : backward) {
            int at = order.indexOf(ids.getFirst());
            assertThat(ids).isEqualTo(order.subList(at, at + ids.size()));
        }
    }

    /** The prev_cursor of the last page of {@code sort} with 300 keys a page. */
    private String cursorBeforeLast(String sort) {
        String[] last = {null};
        walk(
                "sort=" + sort + "&limit=300",
                page -> last[0] = page.get("prev_cursor").isNull()
                        ? null
                        : page.get("prev_cursor").asText());
        return last[0];
    }

    @Test
    void filtersStillApplyAcrossPages() {
        List<String> walked = walk("type=secret&status=active&sort=-created_at&limit=100", page -> {});
        assertThat(walked)
                .isNotEmpty()
                .containsExactlyElementsOf(
                        expected(org, "-created_at", " AND k.type = 'secret' AND k.status = 'active'"));
    }

    @Test
    void aWalkStaysExactWhileKeysAreAdded() {
        Set<String> before = new HashSet<>(expected(org, "created_at", ""));
        String tag = Ids.ulid().substring(16);
        int[] pages = {0};
        try {
            List<String> walked = walk("sort=created_at&limit=500", page -> {
                if (pages[0]++ == 1) {
                    // Keys created long before the cursor (never seen) and after every key (seen at the end).
                    jdbc.update(
                            "INSERT INTO api_keys (id, organization_id, type, name, key_hash, last_four, created_at,"
                                    + " status, last_sequence) SELECT 'key_' || ? || lpad(i::text, 6, '0'), ?,"
                                    + " 'secret', 'added ' || i, md5('added' || i), '0000',"
                                    + " CASE WHEN i % 2 = 0 THEN timestamptz '2020-01-01T00:00:00Z'"
                                    + " ELSE timestamptz '2030-01-01T00:00:00Z' END + i * interval '1 second',"
                                    + " 'active', 1 FROM generate_series(0, 199) AS i",
                            tag, org);
                }
            });
            assertThat(walked).doesNotHaveDuplicates();
            assertThat(walked).containsAll(before);
            List<String> added =
                    walked.stream().filter(id -> !before.contains(id)).toList();
            assertThat(added)
                    .hasSize(100)
                    .allSatisfy(id ->
                            assertThat(Integer.parseInt(id.substring(14)) % 2).isEqualTo(1));
        } finally {
            jdbc.update("DELETE FROM api_keys WHERE organization_id = ? AND name LIKE 'added %'", org);
        }
    }

    @Test
    void badLimitsAreRefusedNamingTheParameter() {
        for (String limit : List.of("0", "-1", "abc", "1001", "1.5", "+5", "99999999999", "1e3", " 10")) {
            assertRefused(get(path(org, "limit=" + encode(limit)), TestTokens.member(org)), "limit");
        }
        assertRefused(get(path(org, "sort=usage"), TestTokens.member(org)), "sort");
        assertRefused(get(path(org, "sort=--name"), TestTokens.member(org)), "sort");
    }

    @Test
    void malformedAlteredAndForeignCursorsAreRefused() {
        String cursor = json(get(path(org, "sort=name&limit=10"), TestTokens.member(org)))
                .get("next_cursor")
                .asText();
        List<String> bad = new ArrayList<>(List.of(
                "garbage!", "AAAA", "", "x".repeat(5000), cursor.substring(0, cursor.length() - 3), cursor + "A"));
        bad.removeIf(String::isEmpty);
        for (int i = 0; i < cursor.length() - 1; i += 3) {
            char c = cursor.charAt(i);
            bad.add(cursor.substring(0, i) + (c == 'A' ? 'B' : 'A') + cursor.substring(i + 1));
        }
        for (String value : bad) {
            assertRefused(
                    get(path(org, "sort=name&limit=10&cursor=" + encode(value)), TestTokens.member(org)), "cursor");
        }
        // Another sort, another filter, no sort (the default): not this list's cursor.
        for (String query :
                List.of("sort=-name", "sort=created_at", "", "sort=name&type=secret", "sort=name&status=active")) {
            String q = (query.isEmpty() ? "" : query + "&") + "cursor=" + encode(cursor);
            assertRefused(get(path(org, q), TestTokens.member(org)), "cursor");
        }
        // The same cursor still works with another limit.
        assertThat(get(path(org, "sort=name&limit=20&cursor=" + encode(cursor)), TestTokens.member(org))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void aCursorOfOneOrganizationReadsNothingOfItInAnother() {
        String cursor = json(get(path(org, "limit=5"), TestTokens.member(org)))
                .get("next_cursor")
                .asText();
        assertRefused(get(path(otherOrg, "limit=5&cursor=" + encode(cursor)), TestTokens.member(otherOrg)), "cursor");
        assertRefused(get(path(otherOrg, "limit=5&cursor=" + encode(cursor)), TestTokens.platformAdmin()), "cursor");
        // A member of the other organization cannot use the first one's path either.
        assertThat(get(path(org, "limit=5&cursor=" + encode(cursor)), TestTokens.member(otherOrg))
                        .statusCode())
                .isEqualTo(403);
        // And the other organization's own walk holds exactly its own keys.
        HttpResponse<String> theirs = get(path(otherOrg, "limit=1000"), TestTokens.member(otherOrg));
        assertThat(json(theirs).path("data")).hasSize(30);
        json(theirs)
                .path("data")
                .forEach(key -> assertThat(key.path("organization_id").asText()).isEqualTo(otherOrg));
    }

    static void assertRefused(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("details").get(0).path("field").asText()).isEqualTo(field);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
