package dev.keyledger.portal.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.keyledger.portal.StubApis;
import dev.keyledger.portal.StubApis.Call;
import dev.keyledger.portal.StubApis.Response;
import dev.keyledger.portal.StubbedPortalTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API Keys page's usage totals and badges, on the real portal (its {@code portal.yml}, security
 * chain, Thymeleaf and API clients) in front of a stand-in read API on a loopback port that answers
 * as the query-service does and records every call it gets.
 */
class ApiKeysUsageOverviewTest extends StubbedPortalTest {

    static final String ORG = "org_01JH0000000000000000000001";
    static final String KEYS = "/organizations/" + ORG + "/api-keys";
    static final Instant NOW = Instant.now();

    /** The status of the read API's organization usage answers (200, or an error to show). */
    private static volatile int usageStatus = 200;

    @RegisterExtension
    static final StubApis API = new StubApis(ApiKeysUsageOverviewTest::answer);

    @DynamicPropertySource
    static void apis(DynamicPropertyRegistry registry) {
        API.register(registry);
    }

    @BeforeEach
    void reset() {
        usageStatus = 200;
    }

    @Test
    void showsTheOrganizationsTotalsOfTheLast24HoursAnd30DaysFromTwoUsageCalls() throws Exception {
        String page = page(KEYS);

        assertThat(cells(row(page, "Last 24 hours"))).containsExactly("12", "3");
        assertThat(cells(row(page, "Last 30 days"))).containsExactly("1200", "34");
        List<String> usageCalls =
                API.targets().stream().filter(call -> call.contains("/usage")).toList();
        assertThat(usageCalls)
                .as("one call per window, none per key")
                .hasSize(2)
                .allMatch(call -> call.startsWith("/api/v1/organizations/" + ORG + "/usage?"))
                .allMatch(call -> call.contains("limit=1"));
        Instant hour = NOW.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        Instant day = NOW.truncatedTo(ChronoUnit.DAYS).minus(29, ChronoUnit.DAYS);
        assertThat(usageCalls)
                .anyMatch(call -> call.contains("interval=hour") && call.contains("from=" + hour))
                .anyMatch(call -> call.contains("interval=day") && call.contains("from=" + day));
    }

    @Test
    void flagsUnusedKeysAndKeysDueForRotationWithTextBadges() throws Exception {
        String page = page(KEYS);

        assertThat(badges(row(page, "fresh"))).isEmpty();
        assertThat(badges(row(page, "idle"))).containsExactly("Unused 30 days");
        assertThat(badges(row(page, "busy old"))).containsExactly("rotation due");
        assertThat(badges(row(page, "forgotten"))).containsExactly("Unused 30 days", "rotation due");
        assertThat(badges(row(page, "gone"))).as("a revoked key carries none").isEmpty();
        assertThat(page).contains("Badges:");
    }

    @Test
    void showsTheKeysWhenTheUsageCallsFail() throws Exception {
        usageStatus = 503;
        String page = page(KEYS);

        assertThat(page).contains("Usage totals are unavailable right now.").contains("forgotten");
        assertThat(page).doesNotContain("Last 24 hours");
    }

    @Test
    void showsTheBadgesOnAKeysPageBesideItsStatus() throws Exception {
        String page = page(KEYS + "/key_01JH0000000000000000000004");

        assertThat(page).contains("Unused 30 days").contains("rotation due").contains("Usage count");
    }

    private String page(String path) throws Exception {
        return page(get(path), signedIn("alice", ORG, "org_member"));
    }

    /** The {@code <tr>} whose text contains {@code text}. */
    static String row(String html, String text) {
        Matcher rows = Pattern.compile("<tr[ >].*?</tr>", Pattern.DOTALL).matcher(html);
        while (rows.find()) {
            if (rows.group().contains(">" + text + "<")) {
                return rows.group();
            }
        }
        throw new AssertionError("no row with " + text + " in " + html);
    }

    static List<String> cells(String row) {
        return Pattern.compile("<td>([^<]*)</td>")
                .matcher(row)
                .results()
                .map(match -> match.group(1).strip())
                .toList();
    }

    static List<String> badges(String row) {
        return Pattern.compile("<span class=\"badge\">([^<]*)</span>")
                .matcher(row)
                .results()
                .map(match -> match.group(1))
                .toList();
    }

    /** The read API as far as these pages use it. */
    private static Response answer(Call call) {
        String path = call.path();
        String query = call.query();
        String organization = "/api/v1/organizations/" + ORG;
        if (path.equals(organization + "/usage")) {
            if (usageStatus != 200) {
                return new Response(
                        usageStatus,
                        "{\"error\":\"service_unavailable\",\"message\":\"busy\",\"code\":\"SERVICE_UNAVAILABLE\"}");
            } else if (query.contains("interval=hour")) {
                return Response.ok(usage("hour", "[[5,1],[7,2]]"));
            } else {
                return Response.ok(usage("day", "[[1000,30],[200,4]]"));
            }
        } else if (path.equals(organization + "/api-keys")) {
            return Response.ok("{\"data\":["
                    + String.join(
                            ",",
                            key(1, "fresh", "active", 2, 0L),
                            key(2, "idle", "active", 40, null),
                            key(3, "busy old", "active", 120, 1L),
                            key(4, "forgotten", "active", 200, 60L),
                            key(5, "gone", "revoked", 200, null))
                    + "]}");
        } else if (path.equals(organization + "/api-keys/key_01JH0000000000000000000004")) {
            return Response.ok(key(4, "forgotten", "active", 200, 60L));
        } else if (path.endsWith("/history") || path.endsWith("/key_01JH0000000000000000000004/usage")) {
            return Response.ok("{\"data\":[]}");
        } else {
            return Response.NOT_FOUND;
        }
    }

    private static String usage(String interval, String counts) {
        StringBuilder totals = new StringBuilder();
        String[] pairs = counts.substring(2, counts.length() - 2).split("\\],\\[");
        for (int i = 0; i < pairs.length; i++) {
            String[] pair = pairs[i].split(",");
            totals.append(i == 0 ? "" : ",")
                    .append("{\"start\":\"")
                    .append(NOW.truncatedTo(ChronoUnit.HOURS).minus(i, ChronoUnit.HOURS))
                    .append("\",\"requests\":")
                    .append(pair[0])
                    .append(",\"rejected\":")
                    .append(pair[1])
                    .append('}');
        }
        return "{\"from\":\"" + NOW.minus(Duration.ofDays(1)) + "\",\"to\":\"" + NOW + "\",\"interval\":\""
                + interval + "\",\"totals\":[" + totals
                + "],\"keys\":[{\"key_id\":\"key_01JH0000000000000000000001\","
                + "\"requests\":1,\"rejected\":0}],\"next_cursor\":\"azE6a2V5XzE\"}";
    }

    /** A secret key view created {@code ageDays} ago, last used {@code lastUsedDaysAgo} days ago (null: never). */
    private static String key(int n, String name, String status, int ageDays, Long lastUsedDaysAgo) {
        return "{\"id\":\"key_01JH000000000000000000000" + n + "\",\"type\":\"secret\",\"name\":\"" + name
                + "\",\"organization_id\":\"" + ORG + "\",\"database_id\":null,\"last_four\":\"abc" + n
                + "\",\"created_at\":\"" + NOW.minus(Duration.ofDays(ageDays)) + "\",\"created_by\":\"alice\","
                + "\"expires_at\":null,\"status\":\"" + status + "\",\"last_used_at\":"
                + (lastUsedDaysAgo == null
                        ? "null"
                        : "\"" + NOW.minus(Duration.ofDays(lastUsedDaysAgo)).minusSeconds(60) + "\"")
                + ",\"usage_count\":" + (lastUsedDaysAgo == null ? 0 : 5) + "}";
    }
}
