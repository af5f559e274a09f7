package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/** Readiness reports the table, and the metrics the issue names are exported for Prometheus. */
class ManagementIntegrationTest extends EdgeIntegrationTestBase {

    @LocalManagementPort
    int managementPort;

    @Test
    void readinessIsUpOnceTheTableHasCaughtUp() throws Exception {
        HttpResponse<String> readiness = management("/actuator/health/readiness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"activeKeys\"", "\"caught_up\":true", "\"stale\":false");
    }

    @Test
    void prometheusExportsTheEdgeMetrics() throws Exception {
        get("/_keyledger/auth", headers());

        String metrics = management("/actuator/prometheus").body();

        assertThat(metrics)
                .contains("keyledger_edge_verifications_total{")
                .contains("outcome=\"missing\"")
                .contains("keyledger_edge_decision_seconds_bucket")
                .as("decision buckets down to microseconds, revocation lag with the SLO's 100 ms boundary")
                .containsPattern("keyledger_edge_decision_seconds_bucket\\{[^}]*le=\"1.0E-6\"")
                .containsPattern("keyledger_edge_revocation_lag_seconds_bucket\\{[^}]*le=\"0.1\"")
                .contains("keyledger_edge_ratelimit_rejections_total")
                .contains("keyledger_edge_usage_dropped_total")
                .contains("keyledger_edge_changelog_staleness_seconds")
                .contains("keyledger_edge_active_keys");
    }

    private HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
