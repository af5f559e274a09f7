package dev.keyledger.command.security;

import static dev.keyledger.command.support.ApiAssertions.assertForbidden;
import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.servicekit.testing.Listeners;
import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The management port serves health and prometheus to anyone; every other actuator path needs a
 * platform_admin JWT, and both listeners bind to loopback by default.
 */
class ManagementPlaneIntegrationTest extends ManagementApiIntegrationTestBase {

    @LocalManagementPort
    int managementPort;

    @Value("${server.address}")
    String serverAddress;

    @Value("${management.server.address}")
    String managementAddress;

    private ApiClient management;

    @BeforeEach
    void managementClient() {
        management = new ApiClient(managementPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"})
    void healthAndPrometheusAreOpen(String path) {
        ApiClient.Response response = management.request("GET", path).send();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/actuator",
                "/actuator/env",
                "/actuator/heapdump",
                "/actuator/loggers",
                "/actuator/loggers/ROOT",
                "/actuator/configprops",
                "/actuator/beans",
                "/actuator/threaddump",
                "/actuator/shutdown",
                "/actuator/metrics",
                "/actuator/info"
            })
    void everythingElseNeedsAToken(String path) {
        assertUnauthorized(management.request("GET", path).send());
        assertUnauthorized(management
                .request("POST", path)
                .json("{\"configuredLevel\":\"TRACE\"}")
                .send());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/metrics", "/actuator/info"})
    void anOrgAdminIsNotAnOperator(String path) {
        assertForbidden(
                management.request("GET", path).bearer(orgAdmin("org_x")).send());
    }

    @Test
    void anApiKeyIsRefusedOnTheManagementPortToo() {
        ApiClient.Response response = management
                .request("GET", "/actuator/metrics")
                .header("X-API-Key", "sk_whatever")
                .send();

        assertForbidden(response);
        assertThat(response.text("message")).isEqualTo("API keys cannot manage API keys");
    }

    @Test
    void aPlatformAdminReadsTheExposedOperatorEndpoints() {
        ApiClient.Response metrics = management
                .request("GET", "/actuator/metrics")
                .bearer(PLATFORM_ADMIN_TOKEN)
                .send();

        assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/heapdump", "/actuator/loggers"})
    void dangerousEndpointsAreNotExposedAtAll(String path) {
        for (String token : new String[] {PLATFORM_ADMIN_TOKEN, orgAdmin("org_x")}) {
            ApiClient.Response response =
                    management.request("GET", path).bearer(token).send();

            assertThat(response.status()).as(response.body()).isEqualTo(404);
        }
    }

    @Test
    void bothListenersBindToLoopbackByDefault() throws Exception {
        assertThat(serverAddress).isEqualTo("127.0.0.1");
        assertThat(managementAddress).isEqualTo("127.0.0.1");
        InetAddress external = Listeners.nonLoopbackAddress();
        assumeTrue(external != null, "this machine has no non-loopback address to try");
        assertThat(Listeners.accepts(external, port)).isFalse();
        assertThat(Listeners.accepts(external, managementPort)).isFalse();
        assertThat(Listeners.accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
    }
}
