package dev.keyledger.command.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzed request bodies against every management call of the running command-service (real
 * PostgreSQL, real tokens, the service's own Jackson configuration and domain rules): the first
 * byte picks the call, the rest is the body. Every answer is below 500, and every refusal is the
 * contract's error JSON without exception text. Regression mode replays the committed
 * {@code RequestBodyFuzzTestInputs/} (seed files start with the call's digit, then the JSON);
 * {@code JAZZER_FUZZ=1} explores (docs/security.md).
 */
class RequestBodyFuzzTest extends ManagementApiIntegrationTestBase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String organization;
    private static String database;
    private static String key;

    @FuzzTest(maxDuration = "120s")
    void everyManagementCallMapsAnyBodyToASuccessOrA4xx(byte[] input) throws Exception {
        fixtures();
        int call = input.length == 0 ? 0 : Math.floorMod(input[0], 8);
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        String org = "/api/v1/organizations/" + organization;
        String[] target = switch (call) {
            case 0 -> new String[] {"POST", "/api/v1/organizations", PLATFORM_ADMIN_TOKEN};
            case 1 -> new String[] {"PUT", org + "/plan", PLATFORM_ADMIN_TOKEN};
            case 2 -> new String[] {"POST", org + "/databases", orgAdmin(organization)};
            case 3 -> new String[] {"PUT", org + "/databases/" + database + "/allowed-origins", orgAdmin(organization)};
            case 4 -> new String[] {"POST", org + "/api-keys", orgAdmin(organization)};
            case 5 -> new String[] {"POST", org + "/databases/" + database + "/api-keys", orgAdmin(organization)};
            case 6 -> new String[] {"PATCH", org + "/api-keys/" + key, orgAdmin(organization)};
            default -> new String[] {"POST", org + "/api-keys/" + key + "/roll", orgAdmin(organization)};
        };

        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + target[1]))
                        .header("Authorization", "Bearer " + target[2])
                        .header("Content-Type", "application/json")
                        .method(target[0], HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("error").asString()).isNotBlank();
            assertThat(error.path("message").asString()).isNotBlank();
            assertThat(error.path("code").asString()).isNotBlank();
        }
    }

    private void fixtures() {
        if (organization == null) {
            String org = newOrganization();
            database = newDatabase(org);
            key = newSecretKey(org).text("id");
            organization = org;
        }
    }
}
