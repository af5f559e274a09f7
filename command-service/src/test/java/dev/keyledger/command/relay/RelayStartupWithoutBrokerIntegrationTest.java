package dev.keyledger.command.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.CommandServiceApplication;
import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.testsupport.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With no broker reachable at start, the service opens its API after the bounded wait
 * ({@code keyledger.relay.startup-timeout}, short here) but is not ready: the {@code relay}
 * health says DOWN and what it waits for, so no load balancer or probe sends it traffic before the
 * relay could run.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=" + CommandServiceApplication.CONFIG_NAME,
            "keyledger.relay.startup-timeout=1s",
            "keyledger.relay.publish-wait=1s",
            "spring.kafka.admin.auto-create=false",
            "spring.kafka.producer.properties[max.block.ms]=500"
        })
class RelayStartupWithoutBrokerIntegrationTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "command_relay_nobroker");
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + closedPort());
        registry.add("management.server.port", () -> "0");
        TestJwts.register(registry);
    }

    @Autowired
    RelayHealthIndicator relayHealth;

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int port;

    @Test
    void isNotReadyWhileTheRelayCannotReachTheBroker() {
        ApiClient.Response readiness = new ApiClient(managementPort)
                .request("GET", "/actuator/health/readiness")
                .send();
        Health health = relayHealth.health();

        assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
        assertThat(readiness.text("status")).isEqualTo("DOWN");
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("waiting_for").toString()).startsWith("the broker");
    }

    @Test
    void livenessIsNotTiedToTheRelay() {
        ApiClient.Response liveness = new ApiClient(managementPort)
                .request("GET", "/actuator/health/liveness")
                .send();

        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
    }

    /**
     * The broker is unreachable: a revocation is stored and answered after {@code publish-wait}
     * with its 204 and {@code X-Keyledger-Relay: pending} (decision record 0017).
     */
    @Test
    void aRevocationIsAnsweredPendingAfterThePublishWait() {
        ApiClient api = new ApiClient(port);
        String platformAdmin = TestJwts.token("platform-ops", null, TestJwts.PLATFORM_ADMIN);
        String organizationId = api.post(
                        "/api/v1/organizations", platformAdmin, "{\"name\":\"Acme\",\"plan\":\"free\"}")
                .text("id");
        String admin = TestJwts.token("alice", organizationId, TestJwts.ORG_ADMIN);
        String keyId = api.post("/api/v1/organizations/" + organizationId + "/api-keys", admin, "{\"name\":\"CI\"}")
                .text("id");

        long started = System.nanoTime();
        ApiClient.Response revoked =
                api.delete("/api/v1/organizations/" + organizationId + "/api-keys/" + keyId, admin);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(revoked.status()).as(revoked.body()).isEqualTo(204);
        assertThat(revoked.header(RelayPublication.HEADER)).isEqualTo("pending");
        assertThat(took).as("answered after the bound").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
