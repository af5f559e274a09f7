package dev.keyledger.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.KeyledgerTopics;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.ActiveKeysView;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.testsupport.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A rebuild never revokes a live key because old records are gone: on a topic whose early records
 * were deleted (its log start offset advanced), it refuses loudly and leaves the projection and
 * the changelog as they were. Its own context, projecting a topic of its own, so that deleting
 * records harms no other test.
 */
@TestPropertySource(
        properties = {
            "keyledger.projection.topic=" + RebuildRefusalIntegrationTest.TOPIC,
            "keyledger.projection.instance-id=truncated-log-test"
        })
@DirtiesContext
class RebuildRefusalIntegrationTest extends QueryServiceIntegrationTestBase {

    static final String TOPIC = "keyledger.key-events.truncated-test";

    @Autowired
    MeterRegistry registry;

    @DynamicPropertySource
    static void truncatedTopic(DynamicPropertyRegistry registry) {
        createTopic(TOPIC, 3, KeyledgerTopics.KEY_EVENTS.configs());
    }

    @Test
    void aRebuildOfALogWithoutItsEarlyRecordsIsRefusedAndRevokesNothing() throws Exception {
        KeyEvents.IssuedKey live;
        try (KeyEvents truncated = new KeyEvents(TestInfrastructure.kafkaBootstrapServers(), TOPIC)) {
            String org = truncated.createOrganization(Plan.PRO);
            live = truncated.issue(org, null, ApiKeyType.SECRET, "live", null, null);
            for (int i = 0; i < 6; i++) {
                truncated.issue(org, null, ApiKeyType.SECRET, "more " + i, null, null);
            }
        }
        awaitProjected(TOPIC);
        assertThat(ActiveKeysView.read().get(live.hash())).isPresent();

        Map<TopicPartition, RecordsToDelete> early = new HashMap<>();
        endOffsets(TOPIC).forEach((partition, end) -> {
            if (end > 0) {
                early.put(new TopicPartition(TOPIC, partition), RecordsToDelete.beforeOffset(1));
            }
        });
        try (Admin admin = admin()) {
            admin.deleteRecords(early).all().get(30, TimeUnit.SECONDS);
        }
        double refusedBefore = refused();

        assertThat(post("/api/v1/admin/rebuild", TestTokens.platformAdmin()).statusCode())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "failed".equals(status().path("state").asText()));
        assertThat(status().path("reason").asText()).contains("no longer holds its early records");
        assertThat(refused()).isEqualTo(refusedBefore + 1);
        assertThat(ActiveKeysView.read().get(live.hash()))
                .as("the live key is still on the changelog")
                .isPresent();
        assertThat(jdbc.queryForObject("SELECT status FROM api_keys WHERE id = ?", String.class, live.id()))
                .isEqualTo("active");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys", Long.class))
                .isEqualTo(7L);
        assertThat(jdbc.queryForObject("SELECT to_regclass('keyledger_rebuild.api_keys') IS NULL", Boolean.class))
                .isTrue();
        assertThat(post("/api/v1/admin/rebuild", TestTokens.platformAdmin()).statusCode())
                .as("a refused rebuild does not hold the lock")
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "failed".equals(status().path("state").asText()));
    }

    private double refused() {
        return registry.get("keyledger_projection_rebuild_refused").counter().count();
    }

    private JsonNode status() throws Exception {
        return KeyledgerJson.mapper()
                .readTree(
                        get("/api/v1/admin/rebuild", TestTokens.platformAdmin()).body());
    }
}
