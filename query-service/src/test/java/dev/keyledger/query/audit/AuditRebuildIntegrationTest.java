package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.audit.ExportVerifier;
import dev.keyledger.contracts.audit.JwkSet;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.testsupport.TestInfrastructure;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * "The same export after a rebuild has the same hashes" (issue 12). A rebuild refuses when the
 * replay lacks a key the projection holds as active, and the module's shared context has keys that
 * other test classes seed straight into the projection tables (never on the topic). So this test
 * has a context of its own: its own database (a second {@code @DynamicPropertySource} makes a new
 * context, whose {@code TestInfrastructure.register} creates a fresh database on the JVM's server,
 * Testcontainers or embedded alike) and its own topic, so the replay sees exactly what the
 * projection holds.
 */
@TestPropertySource(
        properties = {
            "keyledger.projection.topic=" + AuditRebuildIntegrationTest.TOPIC,
            "keyledger.projection.instance-id=audit-rebuild-test"
        })
@DirtiesContext
class AuditRebuildIntegrationTest extends QueryServiceIntegrationTestBase {

    static final String TOPIC = "keyledger.key-events.audit-rebuild-test";

    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void ownTopic(DynamicPropertyRegistry registry) {
        createTopic(TOPIC, 3, KeyledgerTopics.KEY_EVENTS.configs());
    }

    private byte[] export(String org) throws Exception {
        HttpResponse<byte[]> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + port + "/api/v1/organizations/" + org + "/audit-log/export"))
                        .header("Accept", "application/x-ndjson")
                        .header("Authorization", "Bearer " + TestTokens.admin(org))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static List<JsonNode> lines(byte[] body) {
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

    private void awaitChained(String org, long entries) {
        awaitProjected(TOPIC);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> jdbc.queryForObject(
                                "SELECT count(*) FROM audit_log WHERE organization_id = ? AND hash IS NOT NULL",
                                Long.class,
                                org),
                        count -> count == entries);
    }

    private JsonNode rebuildStatus() throws Exception {
        return JSON.readTree(
                get("/api/v1/admin/rebuild", TestTokens.platformAdmin()).body());
    }

    @Test
    void aRebuildReproducesEveryHash() throws Exception {
        String org;
        try (KeyEvents own = new KeyEvents(TestInfrastructure.kafkaBootstrapServers(), TOPIC)) {
            org = own.createOrganization(Plan.STARTER);
            String db = own.createDatabase(org, List.of("https://a.example.com"));
            KeyEvents.IssuedKey key = own.issue(org, db, ApiKeyType.PUBLIC, "front \u00e9 \"quoted\"", null, null);
            KeyEvents.IssuedKey secret = own.issue(org, null, ApiKeyType.SECRET, "ci", null, null);
            own.rename(org, key.id(), "front office");
            own.changeOrigins(org, db, List.of("https://b.example.com"));
            own.changePlan(org, Plan.PRO, null);
            own.revoke(org, secret.id());
        }
        awaitChained(org, 8);
        assertThat(jdbc.queryForList("SELECT id FROM organizations", String.class))
                .as("a database of its own: nothing another test class wrote")
                .containsExactly(org);
        byte[] exported = export(org);
        List<JsonNode> before = lines(exported);
        JwkSet keys = JwkSet.parse(get("/api/v1/audit/signing-keys", null).body());
        assertThat(new ExportVerifier(keys)
                        .verify(new ByteArrayInputStream(exported))
                        .verified())
                .isTrue();
        String startedBefore = rebuildStatus().path("started_at").asText(null);

        HttpResponse<String> started = post("/api/v1/admin/rebuild", TestTokens.platformAdmin());
        assertThat(started.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(3)).until(() -> {
            JsonNode status = rebuildStatus();
            return !"running".equals(status.path("state").asText())
                    && !status.path("started_at").asText("").equals(String.valueOf(startedBefore));
        });
        assertThat(rebuildStatus().path("state").asText())
                .as("the rebuild finished (not refused): %s", rebuildStatus())
                .isEqualTo("idle");
        awaitChained(org, 8);
        byte[] reexported = export(org);
        List<JsonNode> after = lines(reexported);

        assertThat(before).hasSize(9);
        assertThat(after).hasSize(9);
        assertThat(after.subList(0, 8)).as("the same entries, seqs and hashes").isEqualTo(before.subList(0, 8));
        assertThat(after.get(8).get("head")).isEqualTo(before.get(8).get("head"));
        assertThat(new ExportVerifier(keys)
                        .verify(new ByteArrayInputStream(reexported))
                        .verified())
                .isTrue();
    }
}
