package dev.keyledger.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyledger.contracts.KeyledgerEvent;
import dev.keyledger.contracts.apikey.ApiKeyExpiredEvent;
import dev.keyledger.contracts.apikey.ApiKeyIssuedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRenamedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRevokedEvent;
import dev.keyledger.contracts.apikey.ApiKeyRolledEvent;
import dev.keyledger.contracts.apikey.ApiKeyType;
import dev.keyledger.contracts.database.AllowedOriginsChangedEvent;
import dev.keyledger.contracts.database.DatabaseCreatedEvent;
import dev.keyledger.contracts.database.DatabaseDeletedEvent;
import dev.keyledger.contracts.organization.OrganizationCreatedEvent;
import dev.keyledger.contracts.organization.OrganizationPlanChangedEvent;
import dev.keyledger.contracts.organization.OrganizationReactivatedEvent;
import dev.keyledger.contracts.organization.OrganizationSuspendedEvent;
import dev.keyledger.contracts.organization.Plan;
import dev.keyledger.contracts.organization.RateLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyledgerJsonTest {

    private static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");

    static List<KeyledgerEvent> oneEventOfEachType() {
        return List.of(
                new OrganizationCreatedEvent("org_1", "Acme", Plan.PRO, Plan.PRO.defaultLimits()),
                new OrganizationPlanChangedEvent("org_1", Plan.ENTERPRISE, new RateLimits(5000, 9_000_000)),
                new DatabaseCreatedEvent("db_1", "org_1", "main", List.of("https://app.acme.com")),
                new AllowedOriginsChangedEvent("db_1", "org_1", List.of("https://*.acme.com")),
                new ApiKeyIssuedEvent(
                        "key_1", "org_1", "db_1", ApiKeyType.PUBLIC, "web", "ab".repeat(32), "WXYZ", "pk_x", AT, null),
                new ApiKeyRenamedEvent("key_1", "org_1", "web 2"),
                new ApiKeyRolledEvent("key_1", "org_1", "key_2", AT),
                new ApiKeyRevokedEvent("key_1", "org_1"),
                new ApiKeyRevokedEvent("key_1", "org_1", "leaked in a public repository"),
                new ApiKeyRevokedEvent("key_1", "org_1", null, "ab".repeat(32)),
                new ApiKeyExpiredEvent("key_1", "org_1", AT),
                new OrganizationSuspendedEvent("org_1", "unpaid invoices"),
                new OrganizationReactivatedEvent("org_1"),
                new DatabaseDeletedEvent("db_1", "org_1"));
    }

    @Test
    void aRevocationWithoutAReasonKeepsItsOldShape() {
        assertThat(KeyledgerJson.tree(new ApiKeyRevokedEvent("key_1", "org_1")).toString())
                .isEqualTo("{\"key_id\":\"key_1\",\"organization_id\":\"org_1\"}");
        assertThat(KeyledgerJson.read(
                        "{\"key_id\":\"key_1\",\"organization_id\":\"org_1\"}".getBytes(StandardCharsets.UTF_8),
                        ApiKeyRevokedEvent.class))
                .isEqualTo(new ApiKeyRevokedEvent("key_1", "org_1", null));
        assertThat(KeyledgerJson.tree(new ApiKeyRevokedEvent("key_1", "org_1", "leak"))
                        .get("reason")
                        .asText())
                .isEqualTo("leak");
    }

    @ParameterizedTest
    @MethodSource("oneEventOfEachType")
    void everyEventTypeSurvivesTheEnvelopeRoundTrip(KeyledgerEvent event) {
        KeyEventTypes.Type type = KeyEventTypes.of(event.getClass());
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_1",
                event.aggregateId(),
                type.aggregateType(),
                3,
                type.name(),
                type.revision(),
                AT,
                new Actor("alice", "127.0.0.1", "curl/8"),
                KeyledgerJson.tree(event));

        KeyEventEnvelope read = KeyledgerJson.readEnvelope(KeyledgerJson.write(envelope));

        assertThat(read).usingRecursiveComparison().ignoringFields("payload").isEqualTo(envelope);
        assertThat(read.payload().toString()).isEqualTo(envelope.payload().toString());
        assertThat(KeyledgerJson.payload(read)).isEqualTo(event);
    }

    @Test
    void envelopeIsSnakeCaseWithIsoTimes() {
        KeyEventEnvelope envelope = new KeyEventEnvelope(
                "evt_1",
                "key_1",
                "api_key",
                0,
                "api_key.revoked",
                "1",
                AT,
                new Actor("alice", "10.0.0.1", "curl/8"),
                KeyledgerJson.tree(new ApiKeyRevokedEvent("key_1", "org_1")));

        String json = new String(KeyledgerJson.write(envelope), StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"aggregate_id\":\"key_1\"")
                .contains("\"sequence_number\":0")
                .contains("\"occurred_at\":\"2026-11-26T12:00:00Z\"")
                .contains("\"user_agent\":\"curl/8\"")
                .contains("\"organization_id\":\"org_1\"");
    }

    @Test
    void plansAndKeyTypesTravelByTheirWireNames() {
        String json = new String(
                KeyledgerJson.write(
                        new OrganizationCreatedEvent("org_1", "Acme", Plan.STARTER, Plan.STARTER.defaultLimits())),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"plan\":\"starter\"");
        assertThat(KeyledgerJson.tree(ApiKeyType.SECRET).asText()).isEqualTo("secret");
    }

    @Test
    void unknownTypesDecodeToNullAndUnknownFieldsAreIgnored() {
        String json =
                "{\"event_id\":\"e\",\"aggregate_id\":\"a\",\"sequence_number\":1,\"type\":\"api_key.teleported\","
                        + "\"revision\":\"1\",\"future_field\":true,\"payload\":{}}";

        KeyEventEnvelope envelope = KeyledgerJson.readEnvelope(json.getBytes(StandardCharsets.UTF_8));

        assertThat(envelope.aggregateId()).isEqualTo("a");
        assertThat(KeyledgerJson.payload(envelope)).isNull();
    }

    @Test
    void activeKeyEntryIsSnakeCase() {
        ActiveKeyEntry entry = new ActiveKeyEntry(
                "key_1", "public", "org_1", "db_1", "pro", 600, 100_000, List.of("https://a.example"), null);

        JsonNode tree = KeyledgerJson.tree(entry);

        assertThat(tree.get("requests_per_minute").asLong()).isEqualTo(600);
        assertThat(tree.get("allowed_origins").get(0).asText()).isEqualTo("https://a.example");
        assertThat(KeyledgerJson.read(KeyledgerJson.write(entry), ActiveKeyEntry.class))
                .isEqualTo(entry);
    }
}
