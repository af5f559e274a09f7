package dev.keyledger.edge.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.edge.EdgeIntegrationTestBase;
import dev.keyledger.edge.TestKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Preflight: OPTIONS without a key, answered for origins that some database allows. */
class PreflightIntegrationTest extends EdgeIntegrationTestBase {

    @Test
    void preflightFromAnAllowedOriginIsAnswered() {
        activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://pre.example.com"), 10, 100));

        HttpResponse<String> response = options(
                "/api/v1/items",
                headers(
                        "Origin", "https://pre.example.com",
                        "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "x-api-key, content-type"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://pre.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
                .contains("POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
                .contains("x-api-key, content-type");
        assertThat(response.headers().allValues("Vary")).contains("Origin");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).contains("600");
    }

    @Test
    void preflightFromAWildcardOriginIsAnswered() {
        activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://*.wild.example"), 10, 100));

        HttpResponse<String> response = options(
                "/api/v1/items", headers("Origin", "https://a.wild.example", "Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://a.wild.example");
    }

    @Test
    void preflightFromAnUnknownOriginIsForbiddenWithoutCorsHeaders() {
        HttpResponse<String> response = options(
                "/api/v1/items",
                headers("Origin", "https://nobody.example.net", "Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void preflightStopsBeingAnsweredWhenTheLastKeyAllowingTheOriginIsRevoked() {
        var key = activate(
                TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://gone.example.com"), 10, 100));
        revoke(key);

        HttpResponse<String> response = options(
                "/api/v1/items", headers("Origin", "https://gone.example.com", "Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void forwardAuthAnswersAPreflightWith200() {
        activate(TestKeys.publicKey(newOrganization(), newDatabase(), List.of("https://fa.example.com"), 10, 100));

        HttpResponse<String> response = get(
                "/_keyledger/auth",
                headers(
                        "X-Forwarded-Method", "OPTIONS",
                        "X-Forwarded-Uri", "/api/v1/items",
                        "Origin", "https://fa.example.com",
                        "Access-Control-Request-Method", "GET"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("https://fa.example.com");
    }

    private HttpResponse<String> options(String path, java.util.Map<String, String> headers) {
        return send("OPTIONS", path, headers, HttpRequest.BodyPublishers.noBody());
    }
}
