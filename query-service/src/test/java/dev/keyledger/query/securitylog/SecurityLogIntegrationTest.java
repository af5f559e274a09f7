package dev.keyledger.query.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Refused calls on record, end to end on the real broker and database: a refusal of this service
 * and one the command-service published reach GET /api/v1/security-log with their fields; only
 * platform admins read it (and that refusal is recorded too); the filters, the bad-parameter 400s,
 * the two purges; and a flood of refused calls that is answered without waiting for the log.
 */
class SecurityLogIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    SecurityLogStore store;

    @Autowired
    MeterRegistry registry;

    @Test
    void aReadOfAnotherOrganizationIsRecordedWithTheVerifiedSubjectAndTheRouteTemplate() throws Exception {
        String organization = Ids.newOrganizationId();
        String callers = Ids.newOrganizationId();

        HttpResponse<String> refused =
                get("/api/v1/organizations/" + organization + "/api-keys", TestTokens.member(callers));

        assertThat(refused.statusCode()).isEqualTo(403);
        JsonNode entry = awaitSingle(organization);
        assertThat(entry.get("status").asInt()).isEqualTo(403);
        assertThat(entry.get("reason").asText()).isEqualTo("organization_mismatch");
        assertThat(entry.get("subject").asText()).isEqualTo("alice");
        assertThat(entry.get("route").asText()).isEqualTo("/api/v1/organizations/{organizationId}/api-keys");
        assertThat(entry.get("method").asText()).isEqualTo("GET");
        assertThat(entry.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(entry.get("service").asText()).isEqualTo("query-service");
        assertThat(entry.get("organization_id").asText()).isEqualTo(organization);
        assertThat(Instant.parse(entry.get("occurred_at").asText()))
                .isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aCallWithoutATokenIsRecordedWithoutASubject() throws Exception {
        String organization = Ids.newOrganizationId();

        HttpResponse<String> refused = get("/api/v1/organizations/" + organization + "/databases", null);

        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode entry = awaitSingle(organization);
        assertThat(entry.get("reason").asText()).isEqualTo("missing_token");
        assertThat(entry.get("subject").isNull()).isTrue();
        assertThat(entry.get("route").asText()).isEqualTo("/api/v1/organizations/{organizationId}/databases");
    }

    @Test
    void aForgedTokenIsRecordedAsInvalidAndItsClaimedSubjectIsNot() throws Exception {
        String organization = Ids.newOrganizationId();

        HttpResponse<String> refused =
                get("/api/v1/organizations/" + organization + "/databases", TestTokens.forged(organization));

        assertThat(refused.statusCode()).isEqualTo(401);
        JsonNode entry = awaitSingle(organization);
        assertThat(entry.get("reason").asText()).isEqualTo("invalid_token");
        assertThat(entry.get("subject").isNull()).isTrue();
    }

    @Test
    void anUnknownPathIsRecordedAsUnmatchedNotAsThePathSent() throws Exception {
        String marker = "x" + UUID.randomUUID().toString().replace("-", "");

        HttpResponse<String> refused = get("/api/v1/" + marker + "/%3Cscript%3E", null);

        assertThat(refused.statusCode()).isIn(400, 401);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM security_log WHERE route LIKE ?", Long.class, "%" + marker + "%"))
                .isZero();
    }

    @Test
    void aRefusalPublishedByTheCommandServiceIsServedWithItsFields() throws Exception {
        String organization = Ids.newOrganizationId();
        SecurityRefusal refusal = new SecurityRefusal(
                UUID.randomUUID(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                "command-service",
                403,
                "api_key_presented",
                "POST",
                "/api/v1/organizations/{organizationId}/api-keys",
                null,
                "203.0.113.7",
                organization);

        publish(refusal, refusal);

        JsonNode entry = awaitSingle(organization);
        assertThat(entry.get("id").asText()).isEqualTo(refusal.id().toString());
        assertThat(entry.get("service").asText()).isEqualTo("command-service");
        assertThat(entry.get("reason").asText()).isEqualTo("api_key_presented");
        assertThat(entry.get("ip").asText()).isEqualTo("203.0.113.7");
        assertThat(Instant.parse(entry.get("occurred_at").asText())).isEqualTo(refusal.occurredAt());
    }

    @Test
    void onlyPlatformAdminsReadItAndTheRefusalOfAnyoneElseIsRecordedToo() throws Exception {
        String organization = Ids.newOrganizationId();

        HttpResponse<String> refused = get("/api/v1/security-log", TestTokens.admin(organization));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":\"INSUFFICIENT_PERMISSIONS\"");
        JsonNode entry = awaitSingle(organization);
        assertThat(entry.get("route").asText()).isEqualTo("/api/v1/security-log");
        assertThat(entry.get("reason").asText()).isEqualTo("role_required");
        assertThat(entry.get("subject").asText()).isEqualTo("bob");
        assertThat(get("/api/v1/security-log", null).statusCode()).isEqualTo(401);
    }

    @Test
    void fromToAndOrganizationFilterAndPagesWalkNewestFirst() throws Exception {
        String organization = Ids.newOrganizationId();
        Instant base = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        List<SecurityRefusal> refusals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            refusals.add(refusal(organization, base.plusSeconds(i)));
        }
        refusals.add(refusal(Ids.newOrganizationId(), base.plusSeconds(2)));
        publish(refusals.toArray(SecurityRefusal[]::new));
        await().atMost(WAIT).until(() -> count(organization) == 5);

        JsonNode range = page(
                "?organization_id=" + organization + "&from=" + base.plusSeconds(1) + "&to=" + base.plusSeconds(4));
        assertThat(times(range)).containsExactly(base.plusSeconds(3), base.plusSeconds(2), base.plusSeconds(1));

        JsonNode first = page("?organization_id=" + organization + "&limit=2");
        assertThat(times(first)).containsExactly(base.plusSeconds(4), base.plusSeconds(3));
        JsonNode second = page("?organization_id=" + organization + "&limit=2&cursor="
                + first.get("next_cursor").asText());
        assertThat(times(second)).containsExactly(base.plusSeconds(2), base.plusSeconds(1));
        JsonNode oldestFirst = page("?organization_id=" + organization + "&sort=occurred_at&limit=1");
        assertThat(times(oldestFirst)).containsExactly(base);
        JsonNode window = page("?from=" + base.plusSeconds(2) + "&to=" + base.plusSeconds(3));
        assertThat(times(window)).containsExactly(base.plusSeconds(2), base.plusSeconds(2));
    }

    @Test
    void badParametersAre400() {
        String admin = TestTokens.platformAdmin();
        for (String query : List.of(
                "?from=yesterday",
                "?to=2026-13-01T00:00:00Z",
                "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?organization_id=db_123",
                "?organization_id=org_%27%20OR%201%3D1",
                "?organization_id=org_" + "a".repeat(100),
                "?limit=0",
                "?limit=1001",
                "?sort=subject",
                "?cursor=bm90LWEtY3Vyc29y")) {
            HttpResponse<String> response = get("/api/v1/security-log" + query, admin);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).contains("\"code\":\"VALIDATION_FAILED\"");
        }
    }

    @Test
    void thePurgeDeletesRowsPastTheRetentionAndTheOldestBeyondMaxRows() {
        String organization = Ids.newOrganizationId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<SecurityRefusal> rows = new ArrayList<>();
        // Past a 30-day retention, then five rows older than anything else the other tests keep.
        rows.add(refusal(organization, now.minus(Duration.ofDays(45))));
        rows.add(refusal(organization, now.minus(Duration.ofDays(31))));
        for (int i = 0; i < 5; i++) {
            rows.add(refusal(organization, now.minus(Duration.ofDays(20)).plusSeconds(i)));
        }
        store.insert(rows);
        long total = jdbc.queryForObject("SELECT count(*) FROM security_log", Long.class);

        retention(total - 2 - 3).purge(now);

        List<Instant> kept = jdbc
                .queryForList(
                        "SELECT occurred_at FROM security_log WHERE organization_id = ? ORDER BY occurred_at",
                        java.sql.Timestamp.class,
                        organization)
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList();
        assertThat(kept)
                .containsExactly(
                        now.minus(Duration.ofDays(20)).plusSeconds(3),
                        now.minus(Duration.ofDays(20)).plusSeconds(4));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM security_log", Long.class))
                .isLessThanOrEqualTo(total - 5);
    }

    @Test
    void theBurstGaugeCountsTheBusiestOrganizationInItsWindow() {
        String organization = Ids.newOrganizationId();
        Instant now = Instant.now();
        List<SecurityRefusal> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(refusal(organization, now.minusMillis(i)));
        }
        store.insert(rows);

        assertThat(retention(1_000_000).measureBurst(now.plusSeconds(1))).isGreaterThanOrEqualTo(400);
    }

    @Test
    void aFloodOfRefusedCallsIsAnsweredAndAccountedFor() throws Exception {
        String organization = Ids.newOrganizationId();
        double refusedBefore = registry.get("keyledger_security_refusals")
                .tag("service", "query-service")
                .tag("reason", "missing_token")
                .counter()
                .count();
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 10_000; i++) {
                answers.add(clients.submit(() -> get("/api/v1/organizations/" + organization + "/databases", null)
                        .statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(401);
            }
        }

        // The counter is incremented once the refusal has been answered, so the last few may land
        // just after the client read its 401.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(registry.get("keyledger_security_refusals")
                                        .tag("service", "query-service")
                                        .tag("reason", "missing_token")
                                        .counter()
                                        .count()
                                - refusedBefore)
                        .isGreaterThanOrEqualTo(10_000));
        // Every refusal is stored, or counted as dropped (queue full or not acknowledged).
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(count(organization) + dropped()).isGreaterThanOrEqualTo(10_000));
    }

    private SecurityLogRetention retention(long maxRows) {
        return new SecurityLogRetention(
                store,
                new SecurityLogProperties(
                        true,
                        "unused",
                        maxRows,
                        Duration.ofDays(30),
                        Duration.ofHours(1),
                        Duration.ofMinutes(5),
                        Duration.ofHours(1)),
                new SimpleMeterRegistry());
    }

    private double dropped() {
        return registry.find("keyledger_security_log_dropped").tag("service", "query-service").counters().stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    private static SecurityRefusal refusal(String organization, Instant at) {
        return new SecurityRefusal(
                UUID.randomUUID(),
                at,
                "command-service",
                401,
                "invalid_token",
                "DELETE",
                "/api/v1/organizations/{organizationId}/api-keys/{keyId}",
                null,
                "198.51.100.9",
                organization);
    }

    private long count(String organization) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM security_log WHERE organization_id = ?", Long.class, organization);
    }

    private JsonNode awaitSingle(String organization) {
        return await().atMost(WAIT)
                .until(() -> page("?organization_id=" + organization).get("data"), data -> data.size() == 1)
                .get(0);
    }

    private JsonNode page(String query) throws Exception {
        HttpResponse<String> response = get("/api/v1/security-log" + query, TestTokens.platformAdmin());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return KeyledgerJson.mapper().readTree(response.body());
    }

    private static List<Instant> times(JsonNode page) {
        List<Instant> times = new ArrayList<>();
        page.get("data")
                .forEach(entry ->
                        times.add(Instant.parse(entry.get("occurred_at").asText())));
        return times;
    }

    /** Publishes as the command-service's publisher does (record key: the organization). */
    private static void publish(SecurityRefusal... refusals) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (SecurityRefusal refusal : refusals) {
                producer.send(new ProducerRecord<>(
                                Topics.SECURITY_LOG, refusal.organizationId(), KeyledgerJson.write(refusal)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }
}
