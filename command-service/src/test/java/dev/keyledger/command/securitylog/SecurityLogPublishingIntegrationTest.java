package dev.keyledger.command.securitylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.contracts.id.Ids;
import dev.keyledger.contracts.kafka.KeyledgerJson;
import dev.keyledger.contracts.kafka.Topics;
import dev.keyledger.contracts.securitylog.SecurityRefusal;
import dev.keyledger.testsupport.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management API's refusals reach {@code keyledger.security-log} on the real broker, each with
 * the fields the query-service stores: status, reason, route template, the verified subject of a
 * 403, the client address and the organization the call named (query-service
 * SecurityLogIntegrationTest reads such records back through the read API).
 */
class SecurityLogPublishingIntegrationTest extends ManagementApiIntegrationTestBase {

    private KafkaConsumer<String, byte[]> consumer;
    private final List<SecurityRefusal> seen = new ArrayList<>();

    @BeforeEach
    void subscribe() {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfrastructure.kafkaBootstrapServers(),
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> consumer.partitionsFor(Topics.SECURITY_LOG, Duration.ofSeconds(5)), p -> !p.isEmpty());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.SECURITY_LOG).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void anOrgAdminCreatingAnOrganizationIsRecordedAsRoleRequiredWithItsSubject() {
        String organization = Ids.newOrganizationId();

        ApiClient.Response refused = api.post(
                "/api/v1/organizations", TestJwts.token("carol", organization, TestJwts.ORG_ADMIN), "{\"name\":\"X\"}");

        assertThat(refused.status()).isEqualTo(403);
        SecurityRefusal refusal = awaitRefusal(r -> organization.equals(r.organizationId()));
        assertThat(refusal.service()).isEqualTo("command-service");
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.reason()).isEqualTo("role_required");
        assertThat(refusal.method()).isEqualTo("POST");
        assertThat(refusal.route()).isEqualTo("/api/v1/organizations");
        assertThat(refusal.subject()).isEqualTo("carol");
        assertThat(refusal.ip()).isEqualTo("127.0.0.1");
        assertThat(refusal.occurredAt()).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void anotherOrganizationsAdminIsRecordedAsAnOrganizationMismatch() {
        String organization = newOrganization();

        ApiClient.Response refused = api.post(
                "/api/v1/organizations/" + organization + "/api-keys",
                orgAdmin(Ids.newOrganizationId()),
                "{\"name\":\"CI\"}");

        assertThat(refused.status()).isEqualTo(403);
        SecurityRefusal refusal = awaitRefusal(r -> organization.equals(r.organizationId()));
        assertThat(refusal.reason()).isEqualTo("organization_mismatch");
        assertThat(refusal.route()).isEqualTo("/api/v1/organizations/{organizationId}/api-keys");
        assertThat(refusal.subject()).isEqualTo("alice");
    }

    @Test
    void anApiKeyInsteadOfATokenIsRecordedWithoutASubject() {
        String organization = Ids.newOrganizationId();

        ApiClient.Response refused = api.request("DELETE", "/api/v1/organizations/" + organization + "/api-keys/key_1")
                .header("X-API-Key", "sk_not-a-real-key")
                .send();

        assertThat(refused.status()).isEqualTo(403);
        SecurityRefusal refusal = awaitRefusal(r -> organization.equals(r.organizationId()));
        assertThat(refusal.reason()).isEqualTo("api_key_presented");
        assertThat(refusal.route()).isEqualTo("/api/v1/organizations/{organizationId}/api-keys/{keyId}");
        assertThat(refusal.subject()).isNull();
    }

    @Test
    void aCallWithoutATokenIsRecordedAsMissingToken() {
        String organization = Ids.newOrganizationId();

        ApiClient.Response refused = api.request("GET", "/api/v1/organizations/" + organization + "/databases")
                .send();

        assertThat(refused.status()).isEqualTo(401);
        SecurityRefusal refusal = awaitRefusal(r -> organization.equals(r.organizationId()));
        assertThat(refusal.status()).isEqualTo(401);
        assertThat(refusal.reason()).isEqualTo("missing_token");
        assertThat(refusal.subject()).isNull();
    }

    private SecurityRefusal awaitRefusal(Predicate<SecurityRefusal> wanted) {
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                                seen.add(KeyledgerJson.read(record.value(), SecurityRefusal.class));
                            }
                            return seen.stream().filter(wanted).findFirst();
                        },
                        Optional::isPresent)
                .orElseThrow();
    }
}
