package dev.keyledger.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.id.Ids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

class CommandMetricsIntegrationTest extends ManagementApiIntegrationTestBase {

    @LocalManagementPort
    int managementPort;

    @Test
    void commandsAreTimedByTypeAndOutcome() throws Exception {
        String organizationId = newOrganization();
        newSecretKey(organizationId);
        ApiClient.Response notFound = api.delete(
                "/api/v1/organizations/" + organizationId + "/api-keys/" + Ids.newKeyId(), orgAdmin(organizationId));
        assertThat(notFound.status()).isEqualTo(404);

        String metrics;
        try (HttpClient http = HttpClient.newHttpClient()) {
            metrics = http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }

        assertThat(metrics)
                .contains("keyledger_command_duration_seconds_count{command=\"IssueApiKeyCommand\",outcome=\"success\"")
                .contains(
                        "keyledger_command_duration_seconds_count{command=\"CreateOrganizationCommand\",outcome=\"success\"")
                .contains(
                        "keyledger_command_duration_seconds_count{command=\"RevokeApiKeyCommand\",outcome=\"not_found\"")
                .doesNotContain(organizationId);
    }

    @Test
    void healthIsReachableWithoutToken() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }
}
