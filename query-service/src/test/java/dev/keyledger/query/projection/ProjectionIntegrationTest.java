package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ProjectionIntegrationTest extends QueryServiceIntegrationTestBase {

    @Autowired
    MeterRegistry registry;

    @Test
    void eventsInTheRealEnvelopeBecomeKeyDatabaseOrganizationAndAuditRows() {
        String org = events.createOrganization(Plan.PRO);
        String db = events.createDatabase(org, List.of("https://app.example.com"));
        KeyEvents.IssuedKey pub = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, null);
        KeyEvents.IssuedKey secret = events.issue(org, null, ApiKeyType.SECRET, "backend", null, null);
        events.rename(org, secret.id(), "backend v2");
        KeyEvents.IssuedKey successor = events.issue(org, db, ApiKeyType.PUBLIC, "browser", null, pub.id());
        Instant graceEnd = Instant.parse("2027-01-01T00:00:00Z");
        events.roll(org, pub.id(), successor.id(), graceEnd);
        events.revoke(org, secret.id());
        events.expire(org, pub.id(), graceEnd);

        awaitProjected();

        assertThat(jdbc.queryForMap(
                        "SELECT plan, requests_per_minute, requests_per_day FROM organizations WHERE id = ?", org))
                .containsEntry("plan", "pro")
                .containsEntry("requests_per_minute", 600L)
                .containsEntry("requests_per_day", 100_000L);
        assertThat(jdbc.queryForObject(
                        "SELECT array_to_string(allowed_origins, ' ') FROM databases WHERE id = ?", String.class, db))
                .isEqualTo("https://app.example.com");

        Map<String, Object> secretRow = jdbc.queryForMap("SELECT * FROM api_keys WHERE id = ?", secret.id());
        assertThat(secretRow)
                .containsEntry("type", "secret")
                .containsEntry("name", "backend v2")
                .containsEntry("status", "revoked")
                .containsEntry("created_by", "alice")
                .containsEntry("revoked_by", "alice")
                .containsEntry("public_key", null)
                .containsEntry("key_hash", secret.hash())
                .containsEntry(
                        "last_four",
                        secret.plaintext().substring(secret.plaintext().length() - 4));
        assertThat(secretRow.get("revoked_at")).isNotNull();

        Map<String, Object> oldRow = jdbc.queryForMap("SELECT * FROM api_keys WHERE id = ?", pub.id());
        assertThat(oldRow)
                .containsEntry("status", "expired")
                .containsEntry("replaced_by", successor.id())
                .containsEntry("public_key", pub.plaintext());
        assertThat(jdbc.queryForMap("SELECT * FROM api_keys WHERE id = ?", successor.id()))
                .containsEntry("status", "active")
                .containsEntry("replaces", pub.id());

        List<Map<String, Object>> history = jdbc.queryForList(
                "SELECT type, actor_subject, actor_ip, actor_user_agent FROM audit_log WHERE aggregate_id = ? ORDER BY sequence",
                secret.id());
        assertThat(history)
                .extracting(row -> row.get("type"))
                .containsExactly("api_key.issued", "api_key.renamed", "api_key.revoked");
        assertThat(history.getFirst())
                .containsEntry("actor_subject", "alice")
                .containsEntry("actor_ip", "203.0.113.7")
                .containsEntry("actor_user_agent", "portal/1.0");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE organization_id = ?", Long.class, org))
                .isEqualTo(9L);

        String everything = String.join(
                "\n", jdbc.queryForList("SELECT details FROM audit_log WHERE organization_id = ?", String.class, org));
        assertThat(everything).doesNotContain(secret.plaintext()).doesNotContain(secret.hash());
    }

    @Test
    void redeliveredAndDuplicatedEventsLeaveIdenticalTables() {
        int first = events.sent().size();
        String org = events.createOrganization(Plan.STARTER);
        String db = events.createDatabase(org, List.of("https://a.example.com"));
        KeyEvents.IssuedKey key = events.issue(org, db, ApiKeyType.PUBLIC, "one", null, null);
        events.rename(org, key.id(), "two");
        events.changeOrigins(org, db, List.of("https://b.example.com"));
        events.changePlan(org, Plan.PRO, null);
        events.revoke(org, key.id());
        List<ProducerRecord<String, byte[]>> scenario =
                events.sent().subList(first, events.sent().size());
        awaitProjected();
        Map<String, List<Map<String, Object>>> before = tablesOf(org);

        // The whole scenario again (a relay restart), then each record twice in reverse order.
        events.resend(scenario);
        List<ProducerRecord<String, byte[]>> reversed = new ArrayList<>(scenario);
        Collections.reverse(reversed);
        events.resend(reversed);
        events.resend(reversed);
        awaitProjected();

        assertThat(tablesOf(org)).isEqualTo(before);
    }

    @Test
    void unknownAndMalformedRecordsAreSkippedAndCounted() {
        double unknownBefore = counter("unknown");
        double malformedBefore = counter("malformed");
        String org = events.createOrganization(Plan.FREE);
        events.unknownType(org);
        events.raw(org, "{not json".getBytes(StandardCharsets.UTF_8));
        events.changePlan(org, Plan.STARTER, null);

        awaitProjected();

        assertThat(jdbc.queryForObject("SELECT plan FROM organizations WHERE id = ?", String.class, org))
                .isEqualTo("starter");
        assertThat(counter("unknown")).isEqualTo(unknownBefore + 1);
        assertThat(counter("malformed")).isEqualTo(malformedBefore + 1);
    }

    @Test
    void namesWithTabsBackslashesNewlinesAndUnicodeSurviveTheBulkCopy() {
        String org = events.createOrganization(Plan.FREE);
        String name = "tab\there back\\slash\nnew line \\N ünïcødé 🔑";
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, name, null, null);

        awaitProjected();

        assertThat(jdbc.queryForObject("SELECT name FROM api_keys WHERE id = ?", String.class, key.id()))
                .isEqualTo(name);
        String details = jdbc.queryForObject(
                "SELECT details FROM audit_log WHERE aggregate_id = ? AND sequence = 0", String.class, key.id());
        assertThat(dev.keyledger.contracts.kafka.KeyledgerJson.read(details.getBytes(StandardCharsets.UTF_8), Map.class)
                        .get("name"))
                .isEqualTo(name);
    }

    private double counter(String outcome) {
        return registry.get("keyledger_projection_events")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private Map<String, List<Map<String, Object>>> tablesOf(String org) {
        return Map.of(
                "organizations",
                jdbc.queryForList("SELECT * FROM organizations WHERE id = ?", org),
                "databases",
                jdbc.queryForList(
                        "SELECT id, organization_id, name, array_to_json(allowed_origins)::text AS origins, created_at,"
                                + " last_sequence FROM databases WHERE organization_id = ? ORDER BY id",
                        org),
                "api_keys",
                jdbc.queryForList("SELECT * FROM api_keys WHERE organization_id = ? ORDER BY id", org),
                "audit_log",
                jdbc.queryForList(
                        "SELECT * FROM audit_log WHERE organization_id = ? ORDER BY aggregate_id, sequence", org));
    }
}
