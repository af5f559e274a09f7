package dev.keyledger.query.organizationusage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/organizations/{org}/usage} on real PostgreSQL and Kafka: usage sent through
 * {@code keyledger.key-usage} as the edge sends it, counted by the usage metering, then read as
 * totals, per-key pages and exports. The expected numbers are computed from what was sent.
 */
class OrganizationUsageIntegrationTest extends QueryServiceIntegrationTestBase {

    static String org;
    static String otherOrg;
    static List<String> keys;
    static Instant base;
    static Instant to;
    /** Every request sent for {@link #org}: key id, time, accepted. */
    static List<Object[]> sent;

    @BeforeEach
    void scenario() {
        if (org != null) {
            return;
        }
        org = events.createOrganization(Plan.PRO);
        otherOrg = events.createOrganization(Plan.FREE);
        keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(events.issue(org, null, ApiKeyType.SECRET, "key " + i, null, null)
                    .id());
        }
        // Usage of a key the key projection has not seen (yet) counts for the organization too.
        keys.add(Ids.newKeyId());
        String otherKey = events.issue(otherOrg, null, ApiKeyType.SECRET, "theirs", null, null)
                .id();
        awaitProjected();
        base = Instant.now().minus(Duration.ofHours(40)).truncatedTo(ChronoUnit.HOURS);
        to = Instant.now();
        sent = new ArrayList<>();
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            for (int i = 0; i < 300; i++) {
                String key = keys.get((i * 7 + i / 11) % keys.size());
                Instant at = base.plus(Duration.ofMinutes(7L * i + 3));
                boolean accepted = i % 5 != 0;
                UsageOutcome outcome = accepted
                        ? UsageOutcome.ACCEPTED
                        : (i % 2 == 0 ? UsageOutcome.RATE_LIMITED : UsageOutcome.FORBIDDEN);
                usage.send(UsageEvents.event(org, key, at, outcome));
                sent.add(new Object[] {key, at, accepted});
                usage.send(UsageEvents.event(otherOrg, otherKey, at, UsageOutcome.ACCEPTED));
            }
            usage.flush();
        }
        awaitUsageCounted();
    }

    /** {@code start -> [requests, rejected]} of what was sent, per bucket of {@code unit}. */
    static Map<Instant, List<Long>> expectedTotals(ChronoUnit unit) {
        Map<Instant, List<Long>> totals = new TreeMap<>();
        for (Object[] request : sent) {
            add(totals, ((Instant) request[1]).truncatedTo(unit), (Boolean) request[2]);
        }
        return totals;
    }

    /** {@code key id -> [requests, rejected]} of what was sent in {@code [from, to)}. */
    static Map<String, List<Long>> expectedKeys(Instant from, Instant until) {
        Map<String, List<Long>> perKey = new TreeMap<>();
        for (Object[] request : sent) {
            Instant at = (Instant) request[1];
            if (!at.isBefore(from) && at.isBefore(until)) {
                add(perKey, (String) request[0], (Boolean) request[2]);
            }
        }
        return perKey;
    }

    static <K> void add(Map<K, List<Long>> counts, K key, boolean accepted) {
        List<Long> old = counts.getOrDefault(key, List.of(0L, 0L));
        counts.put(key, List.of(old.get(0) + (accepted ? 1 : 0), old.get(1) + (accepted ? 0 : 1)));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return KeyledgerJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static Map<Instant, List<Long>> totals(JsonNode body) {
        Map<Instant, List<Long>> totals = new TreeMap<>();
        List<Instant> order = new ArrayList<>();
        for (JsonNode total : body.path("totals")) {
            Instant start = Instant.parse(total.path("start").asText());
            order.add(start);
            totals.put(
                    start,
                    List.of(
                            total.path("requests").asLong(),
                            total.path("rejected").asLong()));
        }
        assertThat(order).as("oldest first").isSorted();
        return totals;
    }

    static Map<String, List<Long>> keyRows(JsonNode rows, List<String> order) {
        Map<String, List<Long>> perKey = new TreeMap<>();
        for (JsonNode row : rows) {
            order.add(row.path("key_id").asText());
            perKey.put(
                    row.path("key_id").asText(),
                    List.of(row.path("requests").asLong(), row.path("rejected").asLong()));
        }
        return perKey;
    }

    static String path(String organizationId, String query) {
        return "/api/v1/organizations/" + organizationId + "/usage" + query;
    }

    static String range(Instant from, Instant until) {
        return "from=" + from + "&to=" + until;
    }

    static void assertError(HttpResponse<String> response, int status, String code, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("error").asText()).isNotBlank();
        assertThat(body.path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(body.path("details").path(0).path("field").asText()).isEqualTo(field);
        }
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Nested
    class Ok {

        @Test
        void servesHourTotalsAndPerKeySumsThatAddUpToThem() {
            Instant from = base.minus(Duration.ofHours(1));
            JsonNode body = ok(get(path(org, "?interval=hour&limit=1000&" + range(from, to)), TestTokens.member(org)));

            assertThat(totals(body)).isEqualTo(expectedTotals(ChronoUnit.HOURS));
            List<String> order = new ArrayList<>();
            Map<String, List<Long>> perKey = keyRows(body.path("keys"), order);
            assertThat(perKey).isEqualTo(expectedKeys(from, to)).hasSize(keys.size());
            assertThat(order).as("key-id order").isSorted();
            assertThat(body.path("next_cursor").isNull()).isTrue();
            assertThat(body.path("interval").asText()).isEqualTo("hour");
            assertThat(Instant.parse(body.path("from").asText())).isEqualTo(from);

            long[] totalSum = sum(totals(body).values());
            long[] keySum = sum(perKey.values());
            assertThat(totalSum).isEqualTo(keySum).isEqualTo(new long[] {240, 60});
        }

        @Test
        void servesDayTotalsByDefaultOverTheLastThirtyDays() {
            JsonNode body = ok(get(path(org, ""), TestTokens.admin(org)));

            assertThat(body.path("interval").asText()).isEqualTo("day");
            assertThat(totals(body)).isEqualTo(expectedTotals(ChronoUnit.DAYS));
            Instant from = Instant.parse(body.path("from").asText());
            assertThat(from).isEqualTo(from.truncatedTo(ChronoUnit.DAYS));
            assertThat(Duration.between(from, Instant.parse(body.path("to").asText())))
                    .isBetween(Duration.ofDays(30), Duration.ofDays(31));
            assertThat(sum(totals(body).values()))
                    .isEqualTo(sum(keyRows(body.path("keys"), new ArrayList<>()).values()));
        }

        @Test
        void countsOnlyBucketsInsideTheRangeAndWidensFromToItsBucket() {
            // From in the middle of an hour: that whole hour counts; to is exclusive.
            Instant from = base.plus(Duration.ofHours(10)).plus(Duration.ofMinutes(20));
            Instant until = base.plus(Duration.ofHours(20));
            JsonNode body = ok(get(path(org, "?interval=hour&" + range(from, until)), TestTokens.platformAdmin()));

            Instant widened = from.truncatedTo(ChronoUnit.HOURS);
            assertThat(Instant.parse(body.path("from").asText())).isEqualTo(widened);
            Map<Instant, List<Long>> expected = new TreeMap<>(expectedTotals(ChronoUnit.HOURS));
            expected.keySet().removeIf(start -> start.isBefore(widened) || !start.isBefore(until));
            assertThat(totals(body)).isEqualTo(expected);
            assertThat(keyRows(body.path("keys"), new ArrayList<>())).isEqualTo(expectedKeys(widened, until));
        }

        @Test
        void pagesTheKeysWithAnOpaqueCursorInKeyIdOrder() {
            String query = "?interval=hour&" + range(base, to);
            List<String> order = new ArrayList<>();
            Map<String, List<Long>> all = new TreeMap<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode body = ok(get(
                        path(org, query + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)),
                        TestTokens.member(org)));
                assertThat(body.path("keys").size()).isLessThanOrEqualTo(2);
                assertThat(totals(body))
                        .as("every page carries the totals")
                        .isEqualTo(expectedTotals(ChronoUnit.HOURS));
                all.putAll(keyRows(body.path("keys"), order));
                cursor = body.path("next_cursor").isNull()
                        ? null
                        : body.path("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 10);

            assertThat(pages).isEqualTo(3);
            assertThat(order).isSorted().doesNotHaveDuplicates().hasSize(keys.size());
            assertThat(all).isEqualTo(expectedKeys(base, to));
        }

        @Test
        void defaultsToOneHundredKeysAPage() {
            JsonNode body = ok(get(path(org, "?interval=hour&" + range(base, to)), TestTokens.member(org)));
            assertThat(body.path("keys").size()).isEqualTo(keys.size());
            assertThat(body.path("next_cursor").isNull()).isTrue();
        }

        @Test
        void exportsEveryKeyRowAsCsvWithAHeaderLine() {
            HttpResponse<String> response =
                    get(path(org, "?interval=hour&limit=1&" + range(base, to)), TestTokens.member(org), "text/csv");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/csv");
            String[] lines = response.body().split("\r\n");
            assertThat(lines[0]).isEqualTo("key_id,requests,rejected");
            Map<String, List<Long>> rows = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                String[] fields = lines[i].split(",");
                rows.put(fields[0], List.of(Long.parseLong(fields[1]), Long.parseLong(fields[2])));
            }
            assertThat(lines).hasSize(keys.size() + 1);
            assertThat(rows).isEqualTo(expectedKeys(base, to));
        }

        @Test
        void exportsEveryKeyRowAsNdjson() {
            HttpResponse<String> response = get(
                    path(org, "?interval=hour&limit=1&" + range(base, to)),
                    TestTokens.member(org),
                    "application/x-ndjson");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/x-ndjson");
            Map<String, List<Long>> rows = new TreeMap<>();
            List<String> order = new ArrayList<>();
            for (String line : response.body().split("\n")) {
                JsonNode row;
                try {
                    row = KeyledgerJson.mapper().readTree(line);
                } catch (Exception e) {
                    throw new AssertionError(line, e);
                }
                order.add(row.path("key_id").asText());
                rows.put(
                        row.path("key_id").asText(),
                        List.of(
                                row.path("requests").asLong(),
                                row.path("rejected").asLong()));
            }
            assertThat(order).isSorted().hasSize(keys.size());
            assertThat(rows).isEqualTo(expectedKeys(base, to));
        }

        @Test
        void answersTheEdgesOfTheSupportedTimeRangeWithoutAFailure() {
            for (String query : List.of(
                    "?to=1970-01-01T00:00:00Z",
                    "?interval=hour&to=1970-01-01T00:30:00Z",
                    "?interval=day&to=9999-12-31T23:59:59.999999Z",
                    "?interval=hour&from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59Z")) {
                JsonNode body = ok(get(path(org, query), TestTokens.member(org)));
                assertThat(body.path("totals").size()).as(query).isZero();
                assertThat(body.path("keys").size()).as(query).isZero();
            }
        }

        @Test
        void answersEmptyListsForAnOrganizationWithoutUsage() {
            String quiet = events.createOrganization(Plan.FREE);
            JsonNode body = ok(get(path(quiet, ""), TestTokens.member(quiet)));
            assertThat(body.path("totals").size()).isZero();
            assertThat(body.path("keys").size()).isZero();
            assertThat(body.path("next_cursor").isNull()).isTrue();
        }
    }

    @Nested
    class BadRequest {

        @Test
        void refusesAnUnknownInterval() {
            for (String interval : List.of("minute", "week", "HOUR", "%20day")) {
                assertError(
                        get(path(org, "?interval=" + interval), TestTokens.member(org)),
                        400,
                        "VALIDATION_FAILED",
                        "interval");
            }
        }

        @Test
        void refusesBadTimesAndRanges() {
            assertError(get(path(org, "?from=yesterday"), TestTokens.member(org)), 400, "VALIDATION_FAILED", "from");
            assertError(
                    get(path(org, "?to=2026-13-01T00:00:00Z"), TestTokens.member(org)), 400, "VALIDATION_FAILED", "to");
            assertError(
                    get(path(org, "?" + range(to, base)), TestTokens.member(org)), 400, "VALIDATION_FAILED", "from");
            assertError(
                    get(path(org, "?from=" + Instant.now().plus(Duration.ofDays(1))), TestTokens.member(org)),
                    400,
                    "VALIDATION_FAILED",
                    "from");
        }

        @Test
        void refusesARangeLongerThanTheIntervalAllows() {
            Instant until = Instant.parse("2026-03-01T00:00:00Z");
            assertError(
                    get(
                            path(org, "?interval=hour&" + range(until.minus(Duration.ofDays(32)), until)),
                            TestTokens.member(org)),
                    400,
                    "VALIDATION_FAILED",
                    "from");
            assertThat(get(
                                    path(org, "?interval=hour&" + range(until.minus(Duration.ofDays(31)), until)),
                                    TestTokens.member(org))
                            .statusCode())
                    .isEqualTo(200);
            assertError(
                    get(
                            path(org, "?interval=day&" + range(until.minus(Duration.ofDays(367)), until)),
                            TestTokens.member(org)),
                    400,
                    "VALIDATION_FAILED",
                    "from");
            assertThat(get(
                                    path(org, "?interval=day&" + range(until.minus(Duration.ofDays(366)), until)),
                                    TestTokens.member(org))
                            .statusCode())
                    .isEqualTo(200);
        }

        @Test
        void refusesALimitOutsideOneToOneThousand() {
            for (String limit : List.of("0", "1001", "-1", "abc", "1.5", "99999999999999999999")) {
                assertError(
                        get(path(org, "?limit=" + limit), TestTokens.member(org)), 400, "VALIDATION_FAILED", "limit");
            }
            assertThat(get(path(org, "?limit=1000"), TestTokens.member(org)).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void refusesACursorItDidNotIssue() {
            String notBase64 = "!!!";
            String wrongVersion = Base64.getUrlEncoder().withoutPadding().encodeToString("k9:key_1".getBytes());
            String empty = Base64.getUrlEncoder().withoutPadding().encodeToString("k1:".getBytes());
            String control = Base64.getUrlEncoder().withoutPadding().encodeToString("k1:key\n1".getBytes());
            for (String cursor : List.of(notBase64, wrongVersion, empty, control, "a".repeat(300))) {
                assertError(
                        get(
                                path(org, "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                                TestTokens.member(org)),
                        400,
                        "VALIDATION_FAILED",
                        "cursor");
            }
        }

        @Test
        void answers406ToAnAcceptItCannotWrite() {
            HttpResponse<String> response = get(path(org, ""), TestTokens.member(org), "text/html");
            assertError(response, 406, "NOT_ACCEPTABLE", null);
        }
    }

    @Nested
    class Refused {

        @Test
        void refusesACallerWithoutAToken() {
            assertError(get(path(org, ""), null), 401, "INVALID_TOKEN", null);
        }

        @Test
        void refusesAnotherOrganizationsMembersAndAdmins() {
            assertError(get(path(org, ""), TestTokens.member(otherOrg)), 403, "INSUFFICIENT_PERMISSIONS", null);
            assertError(get(path(org, ""), TestTokens.admin(otherOrg)), 403, "INSUFFICIENT_PERMISSIONS", null);
            assertError(
                    get(path(org, ""), TestTokens.member(otherOrg), "text/csv"), 403, "INSUFFICIENT_PERMISSIONS", null);
            assertError(
                    get(path(org, ""), TestTokens.withRoles(org, List.of())), 403, "INSUFFICIENT_PERMISSIONS", null);
        }

        @Test
        void checksScopeBeforeParameters() {
            assertError(
                    get(path(org, "?interval=week"), TestTokens.member(otherOrg)),
                    403,
                    "INSUFFICIENT_PERMISSIONS",
                    null);
        }

        @Test
        void showsNoOtherOrganizationsUsage() {
            JsonNode body = ok(get(path(otherOrg, "?interval=hour&" + range(base, to)), TestTokens.member(otherOrg)));
            assertThat(keyRows(body.path("keys"), new ArrayList<>()))
                    .hasSize(1)
                    .doesNotContainKeys(keys.toArray(String[]::new));
            assertThat(sum(totals(body).values())).isEqualTo(new long[] {300, 0});
        }
    }

    static long[] sum(Iterable<List<Long>> counts) {
        long[] sum = new long[2];
        for (List<Long> c : counts) {
            sum[0] += c.get(0);
            sum[1] += c.get(1);
        }
        return sum;
    }
}
