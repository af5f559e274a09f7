package dev.keyledger.query.apikey;

import static dev.keyledger.query.apikey.ReadApiIntegrationTest.assertError;
import static dev.keyledger.query.apikey.ReadApiIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyFormat;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.apikey.GeneratedApiKey;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.usage.UsageOutcome;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.query.support.UsageEvents;
import dev.keyledger.testsupport.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The usage endpoint and the usage fields of the key views, grouped by status. */
class UsageApiIntegrationTest extends QueryServiceIntegrationTestBase {

    static String org;
    static String otherOrg;
    static KeyEvents.IssuedKey used;
    static KeyEvents.IssuedKey unused;
    static KeyEvents.IssuedKey otherKey;
    static String lateKey;
    static Instant first;
    static List<Object[]> sent;

    @BeforeEach
    void scenario() {
        if (org != null) {
            return;
        }
        org = events.createOrganization(Plan.PRO);
        otherOrg = events.createOrganization(Plan.FREE);
        used = events.issue(org, null, ApiKeyType.SECRET, "busy", null, null);
        unused = events.issue(org, null, ApiKeyType.SECRET, "idle", null, null);
        otherKey = events.issue(otherOrg, null, ApiKeyType.SECRET, "theirs", null, null);
        lateKey = Ids.newKeyId();
        first = Instant.now()
                .minus(Duration.ofHours(3))
                .truncatedTo(ChronoUnit.MINUTES)
                .plusSeconds(10);
        sent = List.of(
                new Object[] {first, UsageOutcome.ACCEPTED},
                new Object[] {first.plusSeconds(5), UsageOutcome.ACCEPTED},
                new Object[] {first.plusSeconds(6), UsageOutcome.ACCEPTED},
                new Object[] {first.plusSeconds(7), UsageOutcome.RATE_LIMITED},
                new Object[] {first.plusSeconds(60), UsageOutcome.ACCEPTED},
                new Object[] {first.plusSeconds(61), UsageOutcome.ACCEPTED},
                new Object[] {first.plus(Duration.ofHours(2)), UsageOutcome.FORBIDDEN});
        try (UsageEvents usage = new UsageEvents(TestInfrastructure.kafkaBootstrapServers())) {
            for (Object[] request : sent) {
                usage.send(UsageEvents.event(org, used.id(), (Instant) request[0], (UsageOutcome) request[1]));
            }
            // Usage that arrives before the key's issued event is kept and shows once the key does.
            usage.send(UsageEvents.event(org, lateKey, first, UsageOutcome.ACCEPTED));
            usage.flush();
        }
        awaitUsageCounted();
        GeneratedApiKey key = ApiKeyFormat.generate(ApiKeyType.SECRET);
        events.emit(
                new ApiKeyIssuedEvent(
                        lateKey, org, null, ApiKeyType.SECRET, "late", key.hash(), key.lastFour(), null, null, null),
                KeyEvents.ALICE);
        awaitProjected();
    }

    /** The buckets the sent records must produce, as {@code start -> [requests, rejected]}. */
    static Map<String, List<Long>> expected(ChronoUnit unit) {
        Map<String, List<Long>> buckets = new TreeMap<>();
        for (Object[] request : sent) {
            String start = ((Instant) request[0]).truncatedTo(unit).toString();
            List<Long> counts = buckets.getOrDefault(start, List.of(0L, 0L));
            boolean accepted = request[1] == UsageOutcome.ACCEPTED;
            buckets.put(start, List.of(counts.get(0) + (accepted ? 1 : 0), counts.get(1) + (accepted ? 0 : 1)));
        }
        return buckets;
    }

    static Map<String, List<Long>> buckets(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, List<Long>> buckets = new TreeMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode bucket : json(response).path("data")) {
            String start = Instant.parse(bucket.path("start").asText()).toString();
            order.add(start);
            buckets.put(
                    start,
                    List.of(
                            bucket.path("requests").asLong(),
                            bucket.path("rejected").asLong()));
        }
        assertThat(order).as("oldest first").isSorted();
        return buckets;
    }

    String usagePath(String keyId, String query) {
        return "/api/v1/organizations/" + org + "/api-keys/" + keyId + "/usage" + query;
    }

    @Nested
    class Ok {

        @Test
        void servesMinuteHourAndDayBucketsOfAcceptedAndRejectedRequests() {
            String range = "&from=" + first.minus(Duration.ofMinutes(5)) + "&to=" + Instant.now();
            assertThat(buckets(get(usagePath(used.id(), "?interval=minute" + range), TestTokens.member(org))))
                    .isEqualTo(expected(ChronoUnit.MINUTES))
                    .containsEntry(first.truncatedTo(ChronoUnit.MINUTES).toString(), List.of(3L, 1L));
            assertThat(buckets(get(usagePath(used.id(), "?interval=hour" + range), TestTokens.admin(org))))
                    .isEqualTo(expected(ChronoUnit.HOURS));
            assertThat(buckets(get(
                            usagePath(used.id(), "?interval=day&from=" + first.minus(Duration.ofDays(2))),
                            TestTokens.platformAdmin())))
                    .isEqualTo(expected(ChronoUnit.DAYS));
        }

        @Test
        void defaultsToHourlyBucketsOfTheLastDayAndWidensFromToItsBucket() {
            assertThat(buckets(get(usagePath(used.id(), ""), TestTokens.member(org))))
                    .isEqualTo(expected(ChronoUnit.HOURS));
            String from = first.plusSeconds(30).toString();
            // Exclusive: the bucket that starts at "to" is not part of the answer.
            String to = first.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60).toString();
            assertThat(buckets(get(
                            usagePath(used.id(), "?interval=minute&from=" + from + "&to=" + to),
                            TestTokens.member(org))))
                    .containsOnlyKeys(first.truncatedTo(ChronoUnit.MINUTES).toString());
        }

        @Test
        void aKeyWithoutUsageHasNoBuckets() {
            assertThat(json(get(usagePath(unused.id(), "?interval=day"), TestTokens.member(org)))
                            .path("data"))
                    .isEmpty();
        }

        @Test
        void keyViewsCarryLastUsedAtUsageCountAndAgeDays() {
            JsonNode view =
                    json(get("/api/v1/organizations/" + org + "/api-keys/" + used.id(), TestTokens.member(org)));
            assertThat(view.path("usage_count").asLong()).isEqualTo(5);
            assertThat(Instant.parse(view.path("last_used_at").asText())).isEqualTo(first.plusSeconds(61));
            long age = Duration.between(Instant.parse(view.path("created_at").asText()), Instant.now())
                    .toDays();
            assertThat(view.path("age_days").asLong()).isBetween(age - 1, age);

            JsonNode list = json(get("/api/v1/organizations/" + org + "/api-keys", TestTokens.member(org)))
                    .path("data");
            for (JsonNode key : list) {
                if (key.path("id").asText().equals(unused.id())) {
                    assertThat(key.path("last_used_at").isNull()).isTrue();
                    assertThat(key.path("usage_count").asLong(-1)).isZero();
                }
                if (key.path("id").asText().equals(lateKey)) {
                    assertThat(key.path("usage_count").asLong()).isEqualTo(1);
                    assertThat(Instant.parse(key.path("last_used_at").asText())).isEqualTo(first);
                }
                assertThat(key.has("age_days")).isTrue();
            }
        }
    }

    @Nested
    class BadRequest {

        @Test
        void refusesBadIntervalsTimesAndRanges() {
            for (String query : List.of(
                    "?interval=week",
                    "?interval=MINUTE",
                    "?from=yesterday",
                    "?to=2026-13-01T00:00:00Z",
                    "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                    "?interval=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")) {
                HttpResponse<String> response = get(usagePath(used.id(), query), TestTokens.member(org));
                assertError(response, 400, "VALIDATION_FAILED");
                assertThat(json(response).path("details").get(0).path("field").asText())
                        .isIn("interval", "from", "to");
            }
        }
    }

    @Nested
    class Unauthorized {

        @Test
        void refusesMissingForgedAndExpiredTokens() {
            assertError(get(usagePath(used.id(), ""), null), 401, "INVALID_TOKEN");
            assertError(get(usagePath(used.id(), ""), TestTokens.forged(org)), 401, "INVALID_TOKEN");
            assertError(get(usagePath(used.id(), ""), TestTokens.expired(org)), 401, "INVALID_TOKEN");
        }
    }

    @Nested
    class Forbidden {

        @Test
        void refusesAnotherOrganizationARolelessTokenAndAnApiKey() {
            assertError(
                    get(
                            "/api/v1/organizations/" + otherOrg + "/api-keys/" + otherKey.id() + "/usage",
                            TestTokens.member(org)),
                    403,
                    "INSUFFICIENT_PERMISSIONS");
            assertError(
                    get(usagePath(used.id(), ""), TestTokens.withRoles(org, List.of())),
                    403,
                    "INSUFFICIENT_PERMISSIONS");
            HttpResponse<String> apiKey;
            try {
                apiKey = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + usagePath(used.id(), "")))
                                .header("X-API-Key", used.plaintext())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            assertError(apiKey, 403, "INSUFFICIENT_PERMISSIONS");
        }
    }

    @Nested
    class NotFound {

        @Test
        void unknownKeysAndKeysOfAnotherOrganizationAreNotFound() {
            assertError(get(usagePath(Ids.newKeyId(), ""), TestTokens.member(org)), 404, "NOT_FOUND");
            assertError(get(usagePath(otherKey.id(), ""), TestTokens.platformAdmin()), 404, "NOT_FOUND");
        }
    }
}
