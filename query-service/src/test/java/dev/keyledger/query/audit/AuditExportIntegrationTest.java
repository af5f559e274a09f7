package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.audit.AuditChain;
import dev.keyledger.contracts.audit.ExportVerifier;
import dev.keyledger.contracts.audit.JwkSet;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.auditchain.AuditRetention;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The signed export end to end: events on the real broker, the chain computed by the projection,
 * the export streamed over HTTP and verified offline with the contracts verifier and the JWK set
 * served anonymously. The rebuild's reproduction of every hash is {@link AuditRebuildIntegrationTest},
 * on a database and topic of its own.
 */
class AuditExportIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AuditRetention retention;

    private String history(String org) {
        String db = events.createDatabase(org, List.of("https://a.example.com"));
        KeyEvents.IssuedKey key = events.issue(org, db, ApiKeyType.PUBLIC, "front \u00e9 \"quoted\"", null, null);
        KeyEvents.IssuedKey secret = events.issue(org, null, ApiKeyType.SECRET, "ci", null, null);
        events.rename(org, key.id(), "front office");
        events.changeOrigins(org, db, List.of("https://b.example.com"));
        events.changePlan(org, Plan.PRO, null);
        events.revoke(org, secret.id());
        return db;
    }

    private void awaitChained(String org, long entries) {
        awaitProjected();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT count(*) FROM audit_log WHERE organization_id = ? AND hash IS NOT NULL",
                                Long.class,
                                org),
                        count -> count == entries);
    }

    private HttpResponse<byte[]> export(String org, String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + port + "/api/v1/organizations/" + org + "/audit-log/export" + query))
                .header("Accept", "application/x-ndjson");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JwkSet signingKeys() {
        HttpResponse<String> answer = get("/api/v1/audit/signing-keys", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        return JwkSet.parse(answer.body());
    }

    private ExportVerifier.Result verify(byte[] body) throws Exception {
        return new ExportVerifier(signingKeys()).verify(new ByteArrayInputStream(body));
    }

    private static List<JsonNode> lines(byte[] body) throws Exception {
        return Arrays.stream(new String(body, StandardCharsets.UTF_8).split("\n"))
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    @Test
    void anExportOfTheWholeHistoryVerifiesOfflineWithTheServedKeys() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        history(org);
        awaitChained(org, 8);

        HttpResponse<byte[]> answer = export(org, "", TestTokens.admin(org));
        ExportVerifier.Result result = verify(answer.body());
        List<JsonNode> lines = lines(answer.body());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/x-ndjson"));
        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isEqualTo(8);
        assertThat(lines).hasSize(9);
        JsonNode first = lines.get(0);
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("prev_hash").asText()).isEqualTo(AuditChain.GENESIS_PREV_HASH);
        assertThat(first.get("type").asText()).isEqualTo("organization.created");
        assertThat(first.get("aggregate_type").asText()).isEqualTo("organization");
        assertThat(first.get("aggregate_id").asText()).isEqualTo(org);
        assertThat(first.get("actor").get("subject").asText()).isEqualTo("alice");
        assertThat(lines.get(2).get("details").get("name").asText()).isEqualTo("front \u00e9 \"quoted\"");
        assertThat(lines.subList(0, 8))
                .extracting(line -> line.get("seq").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        JsonNode checkpoint = lines.get(8);
        assertThat(checkpoint.get("type").asText()).isEqualTo("checkpoint");
        assertThat(checkpoint.get("organization_id").asText()).isEqualTo(org);
        assertThat(checkpoint.get("first_seq").asLong()).isEqualTo(1);
        assertThat(checkpoint.get("last_seq").asLong()).isEqualTo(8);
        assertThat(checkpoint.get("count").asLong()).isEqualTo(8);
        assertThat(checkpoint.get("head").asText())
                .isEqualTo(lines.get(7).get("hash").asText());
        assertThat(checkpoint.get("key_id").asText()).isEqualTo("query-test");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).doesNotContain("key_hash");
    }

    @Test
    void theAuditLogAndHistoryShowSeqAndHashes() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        history(org);
        awaitChained(org, 8);

        HttpResponse<String> page = get("/api/v1/organizations/" + org + "/audit-log", TestTokens.member(org));
        JsonNode data = JSON.readTree(page.body()).get("data");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(data).hasSize(8);
        assertThat(data.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(data.get(0).get("prev_hash").asText()).isEqualTo(AuditChain.GENESIS_PREV_HASH);
        assertThat(data.get(1).get("prev_hash").asText())
                .isEqualTo(data.get(0).get("hash").asText());
    }

    @Test
    void consecutiveRangesChainAndEachVerifies() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        history(org);
        awaitChained(org, 8);
        Instant middle =
                Instant.parse(lines(export(org, "", TestTokens.admin(org)).body())
                        .get(4)
                        .get("occurred_at")
                        .asText());

        byte[] early = export(org, "?to=" + middle, TestTokens.platformAdmin()).body();
        byte[] late = export(org, "?from=" + middle, TestTokens.admin(org)).body();
        List<JsonNode> earlyLines = lines(early);
        List<JsonNode> lateLines = lines(late);

        assertThat(verify(early).verified()).isTrue();
        assertThat(verify(late).verified()).isTrue();
        assertThat(earlyLines).hasSize(5);
        assertThat(lateLines).hasSize(5);
        assertThat(lateLines.get(0).get("seq").asLong()).isEqualTo(5);
        assertThat(lateLines.get(0).get("prev_hash").asText())
                .isEqualTo(earlyLines.get(4).get("head").asText());
    }

    @Test
    void anEmptyRangeIsASignedCheckpointOfNoEntries() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        awaitChained(org, 1);

        HttpResponse<byte[]> answer =
                export(org, "?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", TestTokens.admin(org));
        byte[] body = answer.body();
        ExportVerifier.Result result = verify(body);

        assertThat(answer.statusCode())
                .as(new String(body, StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(result.verified())
                .as(result.message() + ": " + new String(body, StandardCharsets.UTF_8))
                .isTrue();
        assertThat(lines(body)).singleElement().satisfies(checkpoint -> {
            assertThat(checkpoint.get("count").asLong()).isZero();
            assertThat(checkpoint.get("first_seq").isNull()).isTrue();
            assertThat(checkpoint.get("head").asText()).isEqualTo(AuditChain.GENESIS_PREV_HASH);
        });
    }

    @Test
    void refusesBadParametersOtherOrganizationsMembersAndAnonymousCallers() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        String other = Ids.newOrganizationId();

        HttpResponse<byte[]> badFrom = export(org, "?from=yesterday", TestTokens.admin(org));
        HttpResponse<byte[]> backwards =
                export(org, "?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", TestTokens.admin(org));
        HttpResponse<byte[]> otherOrganization = export(org, "", TestTokens.admin(other));
        HttpResponse<byte[]> member = export(org, "", TestTokens.member(org));
        HttpResponse<byte[]> anonymous = export(org, "", null);
        HttpResponse<byte[]> badPath = export("not-an-org", "", TestTokens.platformAdmin());

        assertThat(badFrom.statusCode()).isEqualTo(400);
        assertThat(new String(badFrom.body(), StandardCharsets.UTF_8)).contains("VALIDATION_FAILED", "from");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(otherOrganization.statusCode()).isEqualTo(403);
        assertThat(new String(otherOrganization.body(), StandardCharsets.UTF_8)).contains("INSUFFICIENT_PERMISSIONS");
        assertThat(member.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(badPath.statusCode()).isEqualTo(404);
    }

    @Test
    void theSigningKeysAreAnAnonymousJwkSet() throws Exception {
        HttpResponse<String> answer = get("/api/v1/audit/signing-keys", null);
        JsonNode key = JSON.readTree(answer.body()).get("keys").get(0);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(key.get("kty").asText()).isEqualTo("OKP");
        assertThat(key.get("crv").asText()).isEqualTo("Ed25519");
        assertThat(key.get("kid").asText()).isEqualTo("query-test");
        assertThat(key.get("x").asText()).hasSize(43);
        assertThat(answer.body()).doesNotContain("\"d\"");
    }

    @Test
    void entriesFromBeforeTheChainGetTheirSeqWhenTheirEventsAreRelayedAgain() throws Exception {
        String org;
        events.numbering(false);
        try {
            org = events.createOrganization(Plan.STARTER);
            history(org);
        } finally {
            events.numbering(true);
        }
        awaitProjected();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM audit_log WHERE organization_id = ? AND seq IS NULL AND hash IS NULL",
                        Long.class,
                        org))
                .as("projected, not yet numbered")
                .isEqualTo(8);

        events.relayUnnumberedAgain();
        events.rename(
                org,
                jdbc.queryForObject(
                        "SELECT id FROM api_keys WHERE organization_id = ? AND status = 'active'", String.class, org),
                "after");
        awaitChained(org, 9);

        ExportVerifier.Result result =
                verify(export(org, "", TestTokens.admin(org)).body());
        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isEqualTo(9);
    }

    @Test
    void aShortenedLogStillChainsToItsPredecessor() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        history(org);
        awaitChained(org, 8);
        List<JsonNode> before = lines(export(org, "", TestTokens.admin(org)).body());
        Instant cutoff = Instant.parse(before.get(3).get("occurred_at").asText());

        int removed = retention.purge(cutoff, org);
        byte[] after = export(org, "", TestTokens.admin(org)).body();
        List<JsonNode> kept = lines(after);

        assertThat(removed).isEqualTo(3);
        assertThat(verify(after).verified()).isTrue();
        assertThat(kept.get(0).get("seq").asLong()).isEqualTo(4);
        assertThat(kept.get(0).get("prev_hash").asText())
                .isEqualTo(before.get(2).get("hash").asText());
        assertThat(kept.subList(0, 5)).isEqualTo(before.subList(3, 8));
        assertThat(retention.purge(Instant.parse("2100-01-01T00:00:00Z"), org))
                .as("the chain's head is never removed")
                .isEqualTo(4);
        assertThat(lines(export(org, "", TestTokens.admin(org)).body())
                        .get(0)
                        .get("seq")
                        .asLong())
                .isEqualTo(8);
    }

    @Test
    void exportsAHundredThousandEntriesThatVerify() throws Exception {
        int entries = 100_000;
        String org = Ids.newOrganizationId();
        // Entries 2..100,000 straight into the table (seq from the "command side"), then the
        // organization's creation, seq 1, through the broker: the projection then chains them all.
        jdbc.update(
                "INSERT INTO audit_log (aggregate_id, sequence, event_id, organization_id, aggregate_type, type,"
                        + " occurred_at, actor_subject, actor_ip, actor_user_agent, details, seq)"
                        + " SELECT 'key_bulk_' || organization || '_' || (i / 10), i % 10, 'evt_bulk_' || organization || '_' || i, organization, 'api_key', 'api_key.renamed',"
                        + " timestamptz '2030-01-01T00:00:00Z' + i * interval '1 second', 'alice', '203.0.113.7',"
                        + " 'portal/1.0', json_build_object('name', 'key ' || i)::text, i"
                        + " FROM (SELECT ?::text AS organization) AS o, generate_series(2, ?) AS i",
                org, entries);
        events.emit(
                new dev.keyledger.contracts.organization.OrganizationCreatedEvent(
                        org, "Bulk", Plan.PRO, Plan.PRO.defaultLimits()),
                KeyEvents.ALICE);
        // Not awaitProjected (60 s): the poll that applies the creation also chains 100,000 entries.
        await().atMost(Duration.ofMinutes(5))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT coalesce(max(seq), 0) FROM audit_chain_heads WHERE organization_id = ?",
                                Long.class,
                                org),
                        seq -> seq == entries);

        HttpResponse<InputStream> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/api/v1/organizations/" + org + "/audit-log/export"))
                        .header("Authorization", "Bearer " + TestTokens.admin(org))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ExportVerifier.Result result;
        try (InputStream body = answer.body()) {
            result = new ExportVerifier(signingKeys()).verify(body);
        }

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(result.verified()).as(result.message()).isTrue();
        assertThat(result.entries()).isEqualTo(entries);
        assertThat(result.checkpoint().head())
                .isEqualTo(jdbc.queryForObject(
                        "SELECT hash FROM audit_log WHERE organization_id = ? AND seq = ?",
                        String.class,
                        org,
                        entries));
    }
}
