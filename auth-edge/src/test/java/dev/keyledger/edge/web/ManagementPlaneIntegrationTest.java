package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * The edge has no Spring Security to check a platform_admin JWT, so its management port exposes
 * health and prometheus and nothing else (docs/security.md), and both listeners bind to loopback.
 */
class ManagementPlaneIntegrationTest extends EdgeIntegrationTestBase {

    @LocalManagementPort
    int managementPort;

    @Value("${server.address}")
    String serverAddress;

    @Value("${management.server.address}")
    String managementAddress;

    private HttpResponse<String> management(String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/readiness", "/actuator/prometheus"})
    void healthAndPrometheusAreOpen(String path) throws Exception {
        assertThat(management("GET", path).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
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
    void nothingElseIsExposed(String path) throws Exception {
        HttpResponse<String> get = management("GET", path);
        HttpResponse<String> post = management("POST", path);

        assertThat(get.statusCode()).as(get.body()).isEqualTo(404);
        assertThat(post.statusCode()).as(post.body()).isIn(404, 405);
        assertThat(get.body() + post.body()).doesNotContain("propertySources", "configuredLevel", "\"beans\"");
    }

    @Test
    void anEndpointThatIsNotExposedIs404WithTheErrorJson() throws Exception {
        HttpResponse<String> answer = management("GET", "/actuator/env");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.body())
                .isEqualTo("{\"error\":\"not_found\",\"message\":\"Not found\",\"code\":\"NOT_FOUND\"}");
    }

    @Test
    void aWrongMethodOnHealthIs405WithTheErrorJson() throws Exception {
        HttpResponse<String> answer = management("DELETE", "/actuator/health");

        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).isPresent();
        assertThat(answer.body())
                .isEqualTo("{\"error\":\"method_not_allowed\",\"message\":\"Method not allowed\","
                        + "\"code\":\"METHOD_NOT_ALLOWED\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "management"})
    void listenersBindToLoopbackByDefault(String listener) {
        assertThat(listener.equals("server") ? serverAddress : managementAddress)
                .isEqualTo("127.0.0.1");
    }
}
