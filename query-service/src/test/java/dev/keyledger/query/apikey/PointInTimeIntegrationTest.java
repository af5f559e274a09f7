package dev.keyledger.query.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@code valid_at} on the key list and on one key, on real PostgreSQL and Kafka, around every
 * transition of a key's life: just before and at (or just after) its issue, rename, its
 * organization's plan change, its database's origin change, a roll with grace, a revocation, an
 * expiry and its organization's suspension; the same answers after a rebuild. Events are one second apart ({@link KeyEvents}), so
 * "just before" is one millisecond before the event's time.
 */
class PointInTimeIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void aKeyIsValidFromTheInstantOfItsIssueOn() {
        String org = events.createOrganization(Plan.STARTER);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "first", null, null);
        Instant issued = events.lastEventTime();
        awaitProjected();

        assertThat(ids(org, issued.minus(MS))).isEmpty();
        assertThat(one(org, key.id(), issued.minus(MS)).statusCode()).isEqualTo(404);
        assertThat(ids(org, issued)).containsExactly(key.id());
        JsonNode view = json(one(org, key.id(), issued));
        assertThat(view.path("id").asText()).isEqualTo(key.id());
        assertThat(view.path("name").asText()).isEqualTo("first");
        assertThat(view.path("type").asText()).isEqualTo("secret");
        assertThat(view.path("status").asText()).isEqualTo("active");
        assertThat(view.path("masked").asText())
                .isEqualTo("sk_..." + key.event().lastFour());
        assertThat(view.has("key")).as("no secret material").isFalse();
        assertThat(view.path("plan").asText()).isEqualTo("starter");
        assertThat(view.path("limits").path("requests_per_minute").asLong()).isEqualTo(60);
        assertThat(view.path("limits").path("requests_per_day").asLong()).isEqualTo(10_000);
        assertThat(view.has("allowed_origins"))
                .as("a secret key has no origins")
                .isFalse();
        assertThat(Instant.parse(view.path("valid_at").asText())).isEqualTo(issued);
        assertThat(view.toString()).doesNotContain(key.plaintext()).doesNotContain(key.hash());
    }

    @Test
    void aRenameShowsTheOldNameBeforeItAndTheNewOneFromIt() {
        String org = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "before", null, null);
        events.rename(org, key.id(), "after");
        Instant renamed = events.lastEventTime();
        awaitProjected();

        assertThat(names(org, renamed.minus(MS))).containsExactly("before");
        assertThat(json(one(org, key.id(), renamed.minus(MS))).path("name").asText())
                .isEqualTo("before");
        assertThat(names(org, renamed)).containsExactly("after");
        assertThat(names(org, renamed.plus(MS))).containsExactly("after");
        assertThat(json(get("/api/v1/organizations/" + org + "/api-keys/" + key.id(), TestTokens.member(org)))
                        .path("name")
                        .asText())
                .as("the key as it is now")
                .isEqualTo("after");
    }

    @Test
    void aPlanChangeShowsTheLimitsOfEachSide() {
        String org = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "k", null, null);
        events.changePlan(org, Plan.ENTERPRISE, new RateLimits(5_000, 2_000_000));
        Instant changed = events.lastEventTime();
        awaitProjected();

        JsonNode before = json(one(org, key.id(), changed.minus(MS)));
        assertThat(before.path("plan").asText()).isEqualTo("free");
        assertThat(before.path("limits").path("requests_per_minute").asLong()).isEqualTo(10);
        assertThat(before.path("limits").path("requests_per_day").asLong()).isEqualTo(1_000);
        JsonNode after = list(org, changed).path("data").get(0);
        assertThat(after.path("plan").asText()).isEqualTo("enterprise");
        assertThat(after.path("limits").path("requests_per_minute").asLong()).isEqualTo(5_000);
        assertThat(after.path("limits").path("requests_per_day").asLong()).isEqualTo(2_000_000);
    }

    @Test
    void anOriginChangeShowsTheOriginsOfEachSide() {
        String org = events.createOrganization(Plan.PRO);
        String db = events.createDatabase(org, List.of("https://a.example.com"));
        KeyEvents.IssuedKey key = events.issue(org, db, ApiKeyType.PUBLIC, "widget", null, null);
        events.changeOrigins(org, db, List.of("https://b.example.com", "https://*.c.example.com"));
        Instant changed = events.lastEventTime();
        awaitProjected();

        JsonNode before = json(one(org, key.id(), changed.minus(MS)));
        assertThat(strings(before.path("allowed_origins"))).containsExactly("https://a.example.com");
        assertThat(before.path("database_id").asText()).isEqualTo(db);
        assertThat(before.path("key").asText()).isEqualTo(key.plaintext());
        JsonNode after = list(org, changed).path("data").get(0);
        assertThat(strings(after.path("allowed_origins")))
                .containsExactly("https://b.example.com", "https://*.c.example.com");
        assertThat(ids(org, changed, "&database_id=" + db)).containsExactly(key.id());
        assertThat(ids(org, changed, "&type=secret")).isEmpty();
    }

    @Test
    void duringARollsGraceBothKeysAreValidAndTheOldOneNotAfterIt() {
        String org = events.createOrganization(Plan.STARTER);
        KeyEvents.IssuedKey old = events.issue(org, null, ApiKeyType.SECRET, "old", null, null);
        Instant issued = events.lastEventTime();
        KeyEvents.IssuedKey successor = events.issue(org, null, ApiKeyType.SECRET, "old", null, old.id());
        Instant successorIssued = events.lastEventTime();
        Instant graceEnds = successorIssued.plusSeconds(3);
        events.roll(org, old.id(), successor.id(), graceEnds);
        Instant rolled = events.lastEventTime();
        events.rename(org, successor.id(), "successor");
        events.rename(org, successor.id(), "successor again");
        events.expire(org, old.id(), graceEnds);
        Instant expiredEvent = events.lastEventTime();
        awaitProjected();

        assertThat(ids(org, successorIssued.minus(MS))).containsExactly(old.id());
        assertThat(ids(org, rolled.minus(MS))).containsExactlyInAnyOrder(old.id(), successor.id());
        JsonNode beforeRoll = json(one(org, old.id(), rolled.minus(MS)));
        assertThat(beforeRoll.path("replaced_by").isNull()).isTrue();
        assertThat(beforeRoll.path("expires_at").isNull()).isTrue();

        assertThat(ids(org, rolled)).containsExactlyInAnyOrder(old.id(), successor.id());
        JsonNode inGrace = json(one(org, old.id(), graceEnds.minus(MS)));
        assertThat(inGrace.path("replaced_by").asText()).isEqualTo(successor.id());
        assertThat(Instant.parse(inGrace.path("expires_at").asText())).isEqualTo(graceEnds);
        assertThat(json(one(org, successor.id(), graceEnds.minus(MS)))
                        .path("replaces")
                        .asText())
                .isEqualTo(old.id());
        assertThat(ids(org, graceEnds.minus(MS))).containsExactlyInAnyOrder(old.id(), successor.id());

        assertThat(ids(org, graceEnds)).as("the grace ends at expires_at").containsExactly(successor.id());
        assertThat(one(org, old.id(), graceEnds).statusCode()).isEqualTo(404);
        assertThat(ids(org, expiredEvent)).containsExactly(successor.id());
        assertThat(ids(org, expiredEvent.plus(MS))).containsExactly(successor.id());
        assertThat(ids(org, issued.minus(MS))).isEmpty();
    }

    @Test
    void aRevokedKeyIsValidUpToItsRevocationAndNotFromIt() {
        String org = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey kept = events.issue(org, null, ApiKeyType.SECRET, "kept", null, null);
        KeyEvents.IssuedKey revoked = events.issue(org, null, ApiKeyType.SECRET, "revoked", null, null);
        events.revoke(org, revoked.id());
        Instant at = events.lastEventTime();
        awaitProjected();

        assertThat(ids(org, at.minus(MS))).containsExactly(kept.id(), revoked.id());
        assertThat(one(org, revoked.id(), at.minus(MS)).statusCode()).isEqualTo(200);
        assertThat(ids(org, at)).containsExactly(kept.id());
        HttpResponse<String> gone = one(org, revoked.id(), at.plus(MS));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(json(gone).path("message").asText()).contains("not usable");
    }

    @Test
    void aKeyWithAnExpiryIsValidUpToItAndNotFromIt() {
        String org = events.createOrganization(Plan.FREE);
        Instant expiresAt = events.lastEventTime().plusSeconds(2).plusMillis(500);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "short", expiresAt, null);
        events.rename(org, key.id(), "short, renamed");
        Instant renamed = events.lastEventTime();
        events.expire(org, key.id(), expiresAt);
        Instant expired = events.lastEventTime();
        awaitProjected();

        assertThat(names(org, renamed)).containsExactly("short, renamed");
        assertThat(ids(org, expiresAt.minus(MS))).containsExactly(key.id());
        assertThat(ids(org, expiresAt))
                .as("from expires_at, before the expired event")
                .isEmpty();
        assertThat(ids(org, expired.minus(MS))).isEmpty();
        assertThat(ids(org, expired)).isEmpty();
    }

    @Test
    void noKeyOfAnOrganizationIsValidWhileItIsSuspended() {
        String org = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "k", null, null);
        events.emit(new OrganizationSuspendedEvent(org, "incident 42"), KeyEvents.ALICE);
        Instant suspended = events.lastEventTime();
        events.emit(new OrganizationReactivatedEvent(org), KeyEvents.ALICE);
        Instant reactivated = events.lastEventTime();
        awaitProjected();

        assertThat(ids(org, suspended.minus(MS))).containsExactly(key.id());
        assertThat(ids(org, suspended)).isEmpty();
        assertThat(one(org, key.id(), reactivated.minus(MS)).statusCode()).isEqualTo(404);
        assertThat(ids(org, reactivated)).containsExactly(key.id());
        assertThat(json(one(org, key.id(), reactivated)).path("plan").asText()).isEqualTo("free");
    }

    @Test
    void pagesOfAnInstantFollowTheCursorAndSortByTheNameThen() {
        String org = events.createOrganization(Plan.FREE);
        List<String> issued = new ArrayList<>();
        for (String name : List.of("c", "a", "e", "b", "d")) {
            issued.add(
                    events.issue(org, null, ApiKeyType.SECRET, name, null, null).id());
        }
        Instant at = events.lastEventTime();
        events.rename(org, issued.get(0), "z");
        awaitProjected();

        assertThat(walk(org, at, "created_at")).containsExactlyElementsOf(issued);
        assertThat(walk(org, at, "-created_at")).containsExactlyElementsOf(issued.reversed());
        assertThat(walkNames(org, at, "name")).containsExactly("a", "b", "c", "d", "e");
        assertThat(walkNames(org, at, "-name")).containsExactly("e", "d", "c", "b", "a");
        assertThat(walkNames(org, events.lastEventTime(), "name")).containsExactly("a", "b", "d", "e", "z");

        JsonNode first = list(org, at, "&limit=2");
        String next = first.path("next_cursor").asText();
        HttpResponse<String> otherInstant =
                get(path(org, at.minus(MS)) + "&limit=2&cursor=" + next, TestTokens.member(org));
        assertThat(otherInstant.statusCode())
                .as("a cursor is bound to its instant")
                .isEqualTo(400);
        assertThat(json(otherInstant).path("details").get(0).path("field").asText())
                .isEqualTo("cursor");
        HttpResponse<String> nowList =
                get("/api/v1/organizations/" + org + "/api-keys?limit=2&cursor=" + next, TestTokens.member(org));
        assertThat(nowList.statusCode()).isEqualTo(400);
    }

    @Test
    void badOrRefusedParametersAre400WithTheErrorBody() {
        String org = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "k", null, null);
        awaitProjected();
        String now = Instant.now().minusSeconds(1).toString();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("?valid_at=yesterday", "valid_at");
        cases.put("?valid_at=2026-13-01T00:00:00Z", "valid_at");
        cases.put("?valid_at=10000-01-01T00:00:00Z", "valid_at");
        cases.put("?valid_at=" + enc(Instant.now().plusSeconds(3600).toString()), "valid_at");
        cases.put("?valid_at=" + now + "&status=active", "status");
        cases.put("?valid_at=" + now + "&sort=last_used_at", "sort");
        cases.put("?valid_at=" + now + "&sort=-last_used_at", "sort");
        cases.put("?valid_at=" + now + "&type=other", "type");
        cases.put("?valid_at=" + now + "&limit=0", "limit");
        cases.put("?valid_at=" + now + "&cursor=AAAA", "cursor");
        cases.forEach((query, field) -> {
            HttpResponse<String> answer =
                    get("/api/v1/organizations/" + org + "/api-keys" + query, TestTokens.member(org));
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            JsonNode body = json(answer);
            assertThat(body.path("error").asText()).as(query).isNotEmpty();
            assertThat(body.path("message").asText()).as(query).isNotEmpty();
            assertThat(body.path("code").asText()).as(query).isEqualTo("VALIDATION_FAILED");
            assertThat(body.path("details").get(0).path("field").asText())
                    .as(query)
                    .isEqualTo(field);
        });
        HttpResponse<String> oneBad = get(
                "/api/v1/organizations/" + org + "/api-keys/" + key.id() + "?valid_at=nope", TestTokens.member(org));
        assertThat(oneBad.statusCode()).isEqualTo(400);
        assertThat(json(oneBad).path("code").asText()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void onlyReadersOfTheOrganizationSeeItsPast() {
        String org = events.createOrganization(Plan.FREE);
        String other = events.createOrganization(Plan.FREE);
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "k", null, null);
        Instant at = events.lastEventTime();
        awaitProjected();

        assertThat(get(path(org, at), TestTokens.member(other)).statusCode()).isEqualTo(403);
        assertThat(get(path(org, at), null).statusCode()).isEqualTo(401);
        assertThat(get(path(org, at), TestTokens.admin(org)).statusCode()).isEqualTo(200);
        assertThat(get(path(org, at), TestTokens.platformAdmin()).statusCode()).isEqualTo(200);
        assertThat(one(other, key.id(), at).statusCode())
                .as("another organization's key")
                .isIn(403, 404);
        assertThat(get(
                                "/api/v1/organizations/" + other + "/api-keys/" + key.id() + "?valid_at=" + at,
                                TestTokens.member(other))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRebuildGivesTheSameAnswersAndTheSameVersions() {
        String org = events.createOrganization(Plan.STARTER);
        String db = events.createDatabase(org, List.of("https://a.example.com"));
        KeyEvents.IssuedKey pub = events.issue(org, db, ApiKeyType.PUBLIC, "pub", null, null);
        KeyEvents.IssuedKey sec = events.issue(org, null, ApiKeyType.SECRET, "sec", null, null);
        events.rename(org, sec.id(), "sec 2");
        events.changePlan(org, Plan.PRO, null);
        events.changeOrigins(org, db, List.of("https://b.example.com"));
        KeyEvents.IssuedKey next = events.issue(org, null, ApiKeyType.SECRET, "sec 2", null, sec.id());
        events.roll(org, sec.id(), next.id(), events.lastEventTime().plusSeconds(2));
        events.revoke(org, pub.id());
        events.expire(org, sec.id(), events.lastEventTime());
        Instant end = events.lastEventTime();
        // Redelivered records change nothing.
        events.resend(
                events.sent().subList(events.sent().size() - 4, events.sent().size()));
        awaitProjected();

        Instant start = end.minusSeconds(12);
        List<String> before = answers(org, start, end);
        Map<String, List<Map<String, Object>>> versions = versions(org, db);
        assertThat(versions.get("api_key_versions")).hasSize(3 + 2 + 2);

        String startedBefore = rebuildStatus().path("started_at").asText(null);
        HttpResponse<String> answer = post("/api/v1/admin/rebuild", TestTokens.platformAdmin());
        assertThat(answer.statusCode()).isIn(202, 409);
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            JsonNode status = rebuildStatus();
            return !"running".equals(status.path("state").asText())
                    && !Objects.equals(status.path("started_at").asText(null), startedBefore);
        });
        awaitProjected();

        assertThat(versions(org, db)).isEqualTo(versions);
        assertThat(answers(org, start, end)).isEqualTo(before);
    }

    /** Every answer of the list and of each key at every 250 ms from {@code start} to {@code end}. */
    private List<String> answers(String org, Instant start, Instant end) {
        List<String> answers = new ArrayList<>();
        for (Instant t = start; !t.isAfter(end.plusSeconds(1)); t = t.plusMillis(250)) {
            JsonNode page = list(org, t);
            answers.add(t + " " + page);
            for (JsonNode key : page.path("data")) {
                answers.add(t + " " + json(one(org, key.path("id").asText(), t)));
            }
        }
        return answers;
    }

    private Map<String, List<Map<String, Object>>> versions(String org, String db) {
        return Map.of(
                "api_key_versions",
                jdbc.queryForList(
                        "SELECT * FROM api_key_versions WHERE organization_id = ? ORDER BY key_id, sequence", org),
                "organization_versions",
                jdbc.queryForList(
                        "SELECT * FROM organization_versions WHERE organization_id = ? ORDER BY sequence", org),
                "database_versions",
                jdbc.queryForList(
                        "SELECT database_id, sequence, organization_id, name, array_to_json(allowed_origins)::text"
                                + " AS origins, valid_from, valid_to FROM database_versions WHERE database_id = ?"
                                + " ORDER BY sequence",
                        db));
    }

    private JsonNode rebuildStatus() {
        return json(get("/api/v1/admin/rebuild", TestTokens.platformAdmin()));
    }

    private List<String> walk(String org, Instant at, String sort) {
        return walkField(org, at, sort, "id");
    }

    private List<String> walkNames(String org, Instant at, String sort) {
        return walkField(org, at, sort, "name");
    }

    private List<String> walkField(String org, Instant at, String sort, String field) {
        List<String> values = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list(org, at, "&limit=2&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("data").forEach(key -> values.add(key.path(field).asText()));
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asText();
        } while (cursor != null && values.size() < 100);
        return values;
    }

    private List<String> ids(String org, Instant at) {
        return ids(org, at, "");
    }

    private List<String> ids(String org, Instant at, String query) {
        List<String> ids = new ArrayList<>();
        list(org, at, query).path("data").forEach(key -> ids.add(key.path("id").asText()));
        return ids;
    }

    private List<String> names(String org, Instant at) {
        List<String> names = new ArrayList<>();
        list(org, at).path("data").forEach(key -> names.add(key.path("name").asText()));
        return names;
    }

    private JsonNode list(String org, Instant at) {
        return list(org, at, "");
    }

    private JsonNode list(String org, Instant at, String query) {
        HttpResponse<String> answer = get(path(org, at) + query, TestTokens.member(org));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode page = json(answer);
        page.path("data")
                .forEach(key ->
                        assertThat(Instant.parse(key.path("valid_at").asText())).isEqualTo(at));
        return page;
    }

    private HttpResponse<String> one(String org, String keyId, Instant at) {
        return get(
                "/api/v1/organizations/" + org + "/api-keys/" + keyId + "?valid_at=" + enc(at.toString()),
                TestTokens.member(org));
    }

    private static String path(String org, Instant at) {
        return "/api/v1/organizations/" + org + "/api-keys?valid_at=" + enc(at.toString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return KeyledgerJson.mapper().readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(answer.body(), e);
        }
    }
}
