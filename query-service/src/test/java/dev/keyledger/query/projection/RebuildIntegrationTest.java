package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class RebuildIntegrationTest extends QueryServiceIntegrationTestBase {

    @Test
    void aRebuildFromOffsetZeroLeavesExactlyTheIncrementalState() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        String db = events.createDatabase(org, List.of("https://a.example.com"));
        KeyEvents.IssuedKey kept = events.issue(org, db, ApiKeyType.PUBLIC, "kept", null, null);
        KeyEvents.IssuedKey revoked = events.issue(org, null, ApiKeyType.SECRET, "revoked", null, null);
        events.rename(org, kept.id(), "kept and renamed");
        events.changeOrigins(org, db, List.of("https://b.example.com"));
        events.revoke(org, revoked.id());
        events.resend(
                events.sent().subList(events.sent().size() - 3, events.sent().size()));
        awaitProjected();
        Map<String, List<Map<String, Object>>> before = allTables();
        var changelogBefore = ActiveKeysView.read();
        Timestamp startedBefore = jdbc.queryForObject("SELECT started_at FROM projection_state", Timestamp.class);

        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/rebuild"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(120)).until(() -> {
            Map<String, Object> state = jdbc.queryForMap("SELECT rebuilding, started_at FROM projection_state");
            return !(Boolean) state.get("rebuilding") && !Objects.equals(state.get("started_at"), startedBefore);
        });
        awaitProjected();

        assertThat(allTables()).isEqualTo(before);
        assertThat(ActiveKeysView.read()).isEqualTo(changelogBefore);
        assertThat(ActiveKeysView.read().get(revoked.hash())).isEmpty();
        HttpResponse<String> progress = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/rebuild"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(progress.body()).contains("\"rebuilding\":false").contains("\"progress\":1.0");
        assertThat(Instant.now()).isAfter(startedBefore == null ? Instant.EPOCH : startedBefore.toInstant());
    }

    @Test
    void lagAndRebuildMetricsAreExported() throws Exception {
        events.createOrganization(Plan.FREE);
        awaitProjected();
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("keyledger_projection_lag_seconds ")
                .contains("keyledger_projection_consumer_lag{partition=\"0\"}")
                .contains("keyledger_projection_consumer_lag{partition=\"2\"}")
                .contains("keyledger_projection_events_total{outcome=\"applied\"}")
                .contains("keyledger_projection_rebuild_progress_ratio ")
                .contains("keyledger_projection_rebuild_events_per_second ")
                .contains("keyledger_active_keys_published_total{kind=\"tombstone\"}");
    }

    private Map<String, List<Map<String, Object>>> allTables() {
        return Map.of(
                "organizations",
                jdbc.queryForList("SELECT * FROM organizations ORDER BY id"),
                "databases",
                jdbc.queryForList(
                        "SELECT id, organization_id, name, array_to_json(allowed_origins)::text AS origins, created_at,"
                                + " last_sequence FROM databases ORDER BY id"),
                "api_keys",
                jdbc.queryForList("SELECT * FROM api_keys ORDER BY id"),
                "audit_log",
                jdbc.queryForList("SELECT * FROM audit_log ORDER BY aggregate_id, sequence"));
    }
}
