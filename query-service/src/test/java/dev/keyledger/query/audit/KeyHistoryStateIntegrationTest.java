package dev.keyledger.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.query.support.KeyEvents;
import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key's history replays its life: every event with its actor, source address and the key's state after it. */
class KeyHistoryStateIntegrationTest extends QueryServiceIntegrationTestBase {

    @Test
    void everyEntryCarriesTheKeysStateAfterItsEvent() {
        String org = events.createOrganization(Plan.FREE);
        Instant expiresAt = Instant.parse("2030-01-01T00:00:00Z");
        KeyEvents.IssuedKey key = events.issue(org, null, ApiKeyType.SECRET, "first", expiresAt, null);
        events.rename(org, key.id(), "second");
        KeyEvents.IssuedKey successor = events.issue(org, null, ApiKeyType.SECRET, "second", null, key.id());
        Instant graceEnds = events.lastEventTime().plusSeconds(60);
        events.roll(org, key.id(), successor.id(), graceEnds);
        events.revoke(org, key.id());
        // A redelivery adds no entry and no state.
        events.resend(
                events.sent().subList(events.sent().size() - 2, events.sent().size()));
        awaitProjected();

        HttpResponse<String> answer =
                get("/api/v1/organizations/" + org + "/api-keys/" + key.id() + "/history", TestTokens.member(org));
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode data = json(answer).path("data");
        List<String> rows = new ArrayList<>();
        for (JsonNode entry : data) {
            JsonNode state = entry.path("state");
            rows.add(entry.path("type").asText() + " " + state.path("status").asText() + " "
                    + state.path("name").asText() + " "
                    + state.path("expires_at").asText("-") + " "
                    + state.path("replaced_by").asText("-"));
            assertThat(entry.path("actor").path("subject").asText()).isEqualTo("alice");
            assertThat(entry.path("actor").path("ip").asText()).isEqualTo("203.0.113.7");
            assertThat(entry.has("event_id")).isTrue();
            assertThat(entry.has("occurred_at")).isTrue();
            assertThat(entry.has("details")).isTrue();
        }
        assertThat(rows)
                .containsExactly(
                        "api_key.issued active first 2030-01-01T00:00:00Z -",
                        "api_key.renamed active second 2030-01-01T00:00:00Z -",
                        "api_key.rolled active second " + graceEnds + " " + successor.id(),
                        "api_key.revoked revoked second " + graceEnds + " " + successor.id());
        assertThat(data.toString()).doesNotContain(key.hash()).doesNotContain(key.plaintext());
    }

    private static JsonNode json(HttpResponse<String> answer) {
        try {
            return KeyledgerJson.mapper().readTree(answer.body());
        } catch (Exception e) {
            throw new IllegalStateException(answer.body(), e);
        }
    }
}
