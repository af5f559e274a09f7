package dev.keyledger.query.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.servicekit.testing.Listeners;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The management port serves health and prometheus to anyone; every other actuator path needs a
 * platform_admin JWT (or is not exposed at all), and both listeners bind to loopback by default.
 */
class ManagementPlaneIntegrationTest extends QueryServiceIntegrationTestBase {

    private HttpResponse<String> management(String method, String path, String token, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"code\":\"" + code + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"})
    void healthAndPrometheusAreOpen(String path) {
        assertThat(management("GET", path, null, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/actuator",
                "/actuator/env",
                "/actuator/heapdump",
                "/actuator/loggers",
                "/actuator/configprops",
                "/actuator/threaddump",
                "/actuator/shutdown",
                "/actuator/info",
                "/actuator/rebuild"
            })
    void everythingElseNeedsAToken(String path) {
        assertError(management("GET", path, null, null), 401, "INVALID_TOKEN");
        assertError(management("POST", path, null, null), 401, "INVALID_TOKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/info"})
    void anOrgAdminIsNotAnOperator(String path) {
        assertError(management("GET", path, TestTokens.admin("org_x"), null), 403, "INSUFFICIENT_PERMISSIONS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/heapdump", "/actuator/loggers"})
    void dangerousEndpointsAreNotExposedAtAll(String path) {
        assertThat(management("GET", path, TestTokens.platformAdmin(), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aPlatformAdminReadsTheExposedOperatorEndpoints() {
        HttpResponse<String> response = management("GET", "/actuator/info", TestTokens.platformAdmin(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void anApiKeyIsRefusedOnBothPorts() {
        HttpResponse<String> onManagement = management("GET", "/actuator/info", null, "sk_whatever");
        assertError(onManagement, 403, "INSUFFICIENT_PERMISSIONS");
        assertThat(onManagement.body()).contains("API keys cannot manage API keys");
    }

    @Test
    void bothListenersBindToLoopbackByDefault() throws Exception {
        InetAddress external = Listeners.nonLoopbackAddress();
        assumeTrue(external != null, "this machine has no non-loopback address to try");
        assertThat(Listeners.accepts(external, port)).isFalse();
        assertThat(Listeners.accepts(external, managementPort)).isFalse();
        assertThat(Listeners.accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
    }
}
