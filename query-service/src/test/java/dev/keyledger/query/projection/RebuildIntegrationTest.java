package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The rebuild API and what a rebuild does: the same rows as the incremental projection, the live
 * changelog kept and still fed while it runs, one rebuild at a time.
 */
class RebuildIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final String REBUILD = "/api/v1/admin/rebuild";

    @Autowired
    DataSource dataSource;

    @Test
    void aRebuildFromOffsetZeroLeavesExactlyTheIncrementalState() {
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
        List<Map<String, Object>> shapeBefore = schemaShape();
        var changelogBefore = ActiveKeysView.read();

        String startedBefore = status().path("started_at").asText(null);
        HttpResponse<String> answer = post(REBUILD, TestTokens.platformAdmin());
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(json(answer).path("state").asText()).isEqualTo("running");
        awaitIdleAfter(startedBefore);
        awaitProjected();

        assertThat(allTables()).isEqualTo(before);
        assertThat(schemaShape())
                .as("the swapped-in tables have the live tables' indexes and constraints, by name")
                .isEqualTo(shapeBefore);
        assertThat(ActiveKeysView.read()).isEqualTo(changelogBefore);
        assertThat(ActiveKeysView.read().get(revoked.hash())).isEmpty();
        JsonNode done = status();
        assertThat(done.path("state").asText()).isEqualTo("idle");
        assertThat(done.path("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.has("events_per_second")).isTrue();
        assertThat(done.path("started_at").asText()).isNotEqualTo(startedBefore);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM pg_namespace WHERE nspname = 'keyledger_rebuild'", Long.class))
                .as("shadow schema dropped")
                .isZero();
    }

    @Test
    void duringARebuildTheChangelogKeepsItsKeysAndReceivesNewRevocationsAndKeys() throws Exception {
        String org = events.createOrganization(Plan.PRO);
        KeyEvents.IssuedKey staying = events.issue(org, null, ApiKeyType.SECRET, "staying", null, null);
        KeyEvents.IssuedKey leaving = events.issue(org, null, ApiKeyType.SECRET, "leaving", null, null);
        awaitProjected();

        try (Connection blocker = holdReplay()) {
            assertThat(status().path("state").asText()).isEqualTo("running");
            events.revoke(org, leaving.id());
            KeyEvents.IssuedKey arriving = events.issue(org, null, ApiKeyType.SECRET, "arriving", null, null);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                var view = ActiveKeysView.read();
                assertThat(view.get(leaving.hash()))
                        .as("revoked during the rebuild")
                        .isEmpty();
                assertThat(view.get(arriving.hash()))
                        .as("issued during the rebuild")
                        .isPresent();
                assertThat(view.get(staying.hash()))
                        .as("kept during the rebuild")
                        .isPresent();
            });
            assertThat(status().path("state").asText())
                    .as("still replaying while the live projection served")
                    .isEqualTo("running");
            blocker.rollback();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "idle".equals(status().path("state").asText()));
        awaitProjected();

        var view = ActiveKeysView.read();
        assertThat(view.get(leaving.hash())).isEmpty();
        assertThat(view.get(staying.hash())).isPresent();
        assertThat(jdbc.queryForList("SELECT name, status FROM api_keys WHERE organization_id = ? ORDER BY name", org))
                .extracting(row -> row.get("name") + " " + row.get("status"))
                .containsExactly("arriving active", "leaving revoked", "staying active");
    }

    /**
     * The swap moves the shadow tables in by name, so a shadow made before a migration would put
     * the live table back to its old shape: a rebuild whose tables changed under it is refused.
     */
    @Test
    void aMigrationWhileTheRebuildRunsMakesItRefuseInsteadOfSwappingTheOldShapeIn() throws Exception {
        String org = events.createOrganization(Plan.STARTER);
        awaitProjected();
        try {
            try (Connection blocker = holdReplay()) {
                jdbc.execute("ALTER TABLE organizations ADD COLUMN added_by_a_migration integer");
                blocker.rollback();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> "failed".equals(status().path("state").asText()));
            assertThat(status().path("reason").asText())
                    .contains("changed while the rebuild ran")
                    .contains("organizations");
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                                    + " AND table_name = 'organizations' AND column_name = 'added_by_a_migration'",
                            Long.class))
                    .as("the live table keeps the migrated column")
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM organizations WHERE id = ?", Long.class, org))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM pg_namespace WHERE nspname = 'keyledger_rebuild'", Long.class))
                    .as("shadow schema dropped")
                    .isZero();
        } finally {
            jdbc.execute("ALTER TABLE organizations DROP COLUMN IF EXISTS added_by_a_migration");
        }
    }

    @Test
    void aSecondRequestWhileOneRunsIsRefusedWith409AndDoesNotRestartIt() {
        awaitNotRunning();
        HttpResponse<String> first = post(REBUILD, TestTokens.platformAdmin());
        HttpResponse<String> second = post(REBUILD, TestTokens.platformAdmin());

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).path("code").asText()).isEqualTo("CONFLICT");
        assertThat(json(second).path("error").asText()).isEqualTo("conflict");
        assertThat(json(second).has("message")).isTrue();
        assertThat(status().path("started_at").asText())
                .as("the second call did not restart it")
                .isEqualTo(json(first).path("started_at").asText());
        awaitNotRunning();
    }

    @Test
    void onlyAPlatformAdminMayRebuild() {
        String org = events.createOrganization(Plan.FREE);
        for (String token : List.of(TestTokens.admin(org), TestTokens.member(org))) {
            HttpResponse<String> post = post(REBUILD, token);
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(json(post).path("code").asText()).isEqualTo("INSUFFICIENT_PERMISSIONS");
            assertThat(get(REBUILD, token).statusCode()).isEqualTo(403);
        }
        assertThat(jdbc.queryForObject("SELECT rebuilding FROM projection_state", Boolean.class))
                .as("a refused call starts nothing")
                .isFalse();
    }

    @Test
    void withoutATokenTheRebuildApiAnswers401() {
        HttpResponse<String> post = post(REBUILD, null);
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(json(post).path("code").asText()).isEqualTo("INVALID_TOKEN");
        assertThat(get(REBUILD, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theStatusHasTheContractShape() {
        HttpResponse<String> answer = get(REBUILD, TestTokens.platformAdmin());

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json(answer);
        assertThat(body.path("state").asText()).isIn("idle", "running", "failed");
        assertThat(body.path("percent").isNumber()).isTrue();
        assertThat(body.path("events_per_second").isNumber()).isTrue();
        assertThat(body.has("started_at")).isTrue();
    }

    @Test
    void theActuatorNoLongerRebuilds() throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/rebuild"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isIn(401, 403, 404);
        assertThat(jdbc.queryForObject("SELECT rebuilding FROM projection_state", Boolean.class))
                .isFalse();
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
                .contains("keyledger_projection_rebuild_refused_total ")
                .contains("keyledger_projection_parked_events_total ")
                .contains("keyledger_projection_failures_total ")
                .contains("keyledger_active_keys_published_total{kind=\"tombstone\"}");
    }

    /**
     * Starts a rebuild and stalls its replay: once the shadow tables exist, a transaction of the
     * test holds an exclusive lock on one of them, so the replay waits while the live projection
     * goes on. Rolling the connection back lets it finish. A rebuild that finished before the lock
     * was taken is simply started again.
     */
    private Connection holdReplay() throws SQLException {
        for (int attempt = 0; attempt < 10; attempt++) {
            awaitNotRunning();
            String startedBefore = status().path("started_at").asText(null);
            assertThat(post(REBUILD, TestTokens.platformAdmin()).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> jdbc.queryForObject(
                                    "SELECT to_regclass('keyledger_rebuild.audit_log') IS NOT NULL", Boolean.class)
                            || isIdleAfter(startedBefore));
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '2s'");
                statement.execute("LOCK TABLE keyledger_rebuild.audit_log IN ACCESS EXCLUSIVE MODE");
                return connection;
            } catch (SQLException finishedAlready) {
                connection.rollback();
                connection.close();
            }
        }
        throw new IllegalStateException("every rebuild finished before its replay could be held");
    }

    /** Every index and constraint of the projection tables, with its name and definition. */
    private List<Map<String, Object>> schemaShape() {
        return jdbc.queryForList("SELECT c.relname AS on_table, i.relname AS name, pg_get_indexdef(i.oid) AS definition"
                + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
                + " WHERE c.relnamespace = current_schema()::regnamespace"
                + " UNION ALL SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
                + " JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = current_schema()::regnamespace"
                + " ORDER BY 1, 2, 3");
    }

    private void awaitNotRunning() {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> !"running".equals(status().path("state").asText()));
    }

    private void awaitIdleAfter(String startedBefore) {
        await().atMost(Duration.ofSeconds(120)).until(() -> isIdleAfter(startedBefore));
    }

    private boolean isIdleAfter(String startedBefore) {
        JsonNode status = status();
        return !"running".equals(status.path("state").asText())
                && !Objects.equals(status.path("started_at").asText(null), startedBefore);
    }

    private JsonNode status() {
        HttpResponse<String> answer = get(REBUILD, TestTokens.platformAdmin());
        assertThat(answer.statusCode()).isEqualTo(200);
        return json(answer);
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return KeyledgerJson.mapper().readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(answer.body(), e);
        }
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
