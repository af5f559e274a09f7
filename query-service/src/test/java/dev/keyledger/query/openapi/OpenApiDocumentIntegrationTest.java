package dev.keyledger.query.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.servicekit.testing.OpenApiDocuments;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the running service serves at {@code /v3/api-docs} is the committed {@code
 * docs/openapi/query-service.json}, anyone may read it (and only it) without a token, and it
 * describes what the API really does: snake_case names, the bearer scheme, the error responses.
 */
class OpenApiDocumentIntegrationTest extends QueryServiceIntegrationTestBase {

    static final String FILE = "query-service.json";
    static final String UPDATE_COMMAND = "./mvnw -B -ntp -pl query-service verify -Dtest=OpenApiDocumentIntegrationTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dkeyledger.openapi.update=true";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theServedDocumentIsTheCommittedOne() throws Exception {
        HttpResponse<String> served = get("/v3/api-docs", null);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        OpenApiDocuments.compareOrUpdate(
                served.body(), OpenApiDocuments.directory().resolve(FILE), UPDATE_COMMAND);
    }

    @Test
    void theDocumentIsStableAcrossRequests() {
        assertThat(get("/v3/api-docs", null).body())
                .isEqualTo(get("/v3/api-docs", null).body());
    }

    @Test
    void onlyAnAnonymousGetOfTheDocumentIsOpen() {
        assertThat(get("/v3/api-docs", "not-a-jwt").statusCode())
                .as("a token sent along is still verified")
                .isEqualTo(401);
        // A valid token with the request is accepted too (the command-service's test shows it); not asserted
        // here because it would be this context's first JWKS fetch, which times out on a loaded machine.
        assertThat(get("/v3/api-docs.yaml", null).statusCode()).isEqualTo(401);
        assertThat(get("/v3/api-docs/swagger-config", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/organizations", null).statusCode()).isEqualTo(401);
        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/v3/api-docs"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json"));
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(post.body()).contains("\"code\":\"INVALID_TOKEN\"");
    }

    @Test
    void everyOperationIsDescribedWithItsRoleAndItsRefusals() {
        JsonNode document = JSON.readTree(get("/v3/api-docs", null).body());
        assertThat(document.at("/components/securitySchemes/bearer_jwt/scheme").asString())
                .isEqualTo("bearer");
        assertThat(document.at("/servers/0/url").asString()).isEqualTo("/");
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                String name = method.getKey().toUpperCase() + " " + path.getKey();
                operations.add(name);
                JsonNode operation = method.getValue();
                assertThat(operation.path("operationId").asString()).as(name).isNotBlank();
                assertThat(operation.path("description").asString())
                        .as(name + " names the roles it needs")
                        .containsAnyOf("platform_admin", "org_member");
                JsonNode responses = operation.get("responses");
                boolean anonymous = operation.path("security").isArray()
                        && operation.path("security").isEmpty();
                // An anonymous call (the audit signing keys) refuses no token, so it has no 401/403.
                assertThat(responses.has("401")).as(name).isNotEqualTo(anonymous);
                assertThat(responses.has("403")).as(name).isNotEqualTo(anonymous);
                if (path.getKey().contains("{")) {
                    assertThat(responses.has("404")).as(name).isTrue();
                }
                assertThat(responses.has("503")).as(name).isTrue();
                JsonNode ok = responses
                        .path("200")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                if (path.getKey().endsWith("s") && method.getKey().equals("get") && !ok.has("$ref")) {
                    assertThat(ok.at("/properties/data/type").asString())
                            .as(name + " answers {\"data\": [...]}")
                            .isEqualTo("array");
                }
            }
        }
        assertThat(operations)
                .contains(
                        "GET /api/v1/organizations/{organizationId}/api-keys",
                        "GET /api/v1/organizations/{organizationId}/api-keys/{keyId}",
                        "GET /api/v1/organizations/{organizationId}/api-keys/{keyId}/usage",
                        "GET /api/v1/organizations/{organizationId}/api-keys/{keyId}/history",
                        "GET /api/v1/organizations/{organizationId}/audit-log",
                        "GET /api/v1/organizations/{organizationId}/databases",
                        "POST /api/v1/admin/rebuild");
    }

    @Test
    void schemaPropertiesAreSnakeCaseAsTheApiSerializesThem() {
        JsonNode schemas = JSON.readTree(get("/v3/api-docs", null).body()).at("/components/schemas");
        assertThat(schemas.size()).isGreaterThan(3);
        for (Map.Entry<String, JsonNode> schema : schemas.properties()) {
            for (Map.Entry<String, JsonNode> property :
                    schema.getValue().path("properties").properties()) {
                assertThat(property.getKey())
                        .as(schema.getKey() + "." + property.getKey())
                        .matches("[a-z][a-z0-9_]*");
            }
        }
        assertThat(schemas.at("/KeyView/properties").has("last_used_at")).isTrue();
        assertThat(schemas.at("/Error/required").toString()).isEqualTo("[\"code\",\"error\",\"message\"]");
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
