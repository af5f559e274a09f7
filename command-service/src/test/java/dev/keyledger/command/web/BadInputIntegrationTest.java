package dev.keyledger.command.web;

import static dev.keyledger.command.support.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.contracts.id.Ids;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile or broken requests: every one is a 4xx with the error JSON and stores nothing. */
class BadInputIntegrationTest extends ManagementApiIntegrationTestBase {

    private String organizationId;
    private String keysPath;

    @BeforeEach
    void organization() {
        organizationId = newOrganization();
        keysPath = "/api/v1/organizations/" + organizationId + "/api-keys";
    }

    static Stream<Arguments> badKeyBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"name\":"),
                Arguments.of("not an object", "[1,2]"),
                Arguments.of("trailing content", "{\"name\":\"CI\"} {}"),
                Arguments.of("number as name", "{\"name\":5}"),
                Arguments.of("boolean as name", "{\"name\":true}"),
                Arguments.of("object as name", "{\"name\":{\"a\":1}}"),
                Arguments.of("number as expiry", "{\"name\":\"CI\",\"expires_at\":[1]}"),
                Arguments.of("unknown field", "{\"name\":\"CI\",\"admin\":true}"),
                Arguments.of("camelCase field", "{\"name\":\"CI\",\"expiresAt\":\"2100-01-01T00:00:00Z\"}"),
                Arguments.of("duplicate field", "{\"name\":\"CI\",\"name\":\"Other\"}"),
                Arguments.of("missing name", "{}"),
                Arguments.of("null name", "{\"name\":null}"),
                Arguments.of("null body", "null"),
                Arguments.of("empty body", ""),
                Arguments.of("blank name", "{\"name\":\"   \"}"),
                Arguments.of("name too long", "{\"name\":\"" + "x".repeat(101) + "\"}"),
                Arguments.of("NUL in name", "{\"name\":\"a\\u0000b\"}"),
                Arguments.of("newline in name", "{\"name\":\"a\\nb\"}"),
                Arguments.of("escape in name", "{\"name\":\"a\\u001b[31mred\"}"),
                Arguments.of("bidi override in name", "{\"name\":\"a\\u202Eb\"}"),
                Arguments.of("zero width space in name", "{\"name\":\"a\\u200Bb\"}"),
                Arguments.of("lone surrogate in name", "{\"name\":\"a\\uD800b\"}"),
                Arguments.of("private use in name", "{\"name\":\"a\\uE000b\"}"),
                Arguments.of("line separator in name", "{\"name\":\"a\\u2028b\"}"),
                Arguments.of("invalid UTF-8 escape", "{\"name\":\"\\uZZZZ\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeyBodies")
    void badBodyIsValidationFailedAndStoresNothing(String description, String body) {
        long before = storedEvents();

        ApiClient.Response response = api.post(keysPath, orgAdmin(organizationId), body);

        assertError(response, 400, "VALIDATION_FAILED");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void wrongTypeNamesTheField() {
        ApiClient.Response response = api.post(keysPath, orgAdmin(organizationId), "{\"name\":5}");
        assertThat(response.json().get("details").get(0).get("field").asString())
                .isEqualTo("name");
        ApiClient.Response unknown = api.post(keysPath, orgAdmin(organizationId), "{\"name\":\"a\",\"admin\":1}");
        assertThat(unknown.json().get("details").get(0).get("field").asString()).isEqualTo("admin");
    }

    @Test
    void oversizedBodyIsRefusedByContentLength() {
        long before = storedEvents();
        String body = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

        ApiClient.Response response = api.post(keysPath, orgAdmin(organizationId), body);

        assertError(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void oversizedChunkedBodyIsRefusedWhileReading() {
        long before = storedEvents();
        String body = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

        ApiClient.Response response = api.request("POST", keysPath)
                .bearer(orgAdmin(organizationId))
                .chunkedJson(body)
                .send();

        assertError(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void bodyJustUnderTheLimitIsReadNormally() {
        String padding = " ".repeat(60 * 1024);
        ApiClient.Response response = api.post(keysPath, orgAdmin(organizationId), "{\"name\":\"CI\"" + padding + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        long before = storedEvents();
        ApiClient.Response response = api.request("POST", keysPath)
                .bearer(orgAdmin(organizationId))
                .body("text/plain", "{\"name\":\"CI\"}")
                .send();
        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void missingContentTypeIs415() {
        ApiClient.Response response =
                api.request("POST", keysPath).bearer(orgAdmin(organizationId)).send();
        assertThat(response.status()).isIn(400, 415);
        assertThat(response.text("code")).isNotBlank();
    }

    @Test
    void wrongMethodIs405() {
        ApiClient.Response response = api.request("PUT", keysPath)
                .bearer(orgAdmin(organizationId))
                .json("{\"name\":\"CI\"}")
                .send();
        assertError(response, 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void unknownPathIs404() {
        assertError(
                api.request("GET", "/api/v1/nothing-here")
                        .bearer(orgAdmin(organizationId))
                        .send(),
                404,
                "NOT_FOUND");
    }

    @Test
    void wrongTypesInNestedAndNumericFieldsAreRefused() {
        long before = storedEvents();
        assertError(
                api.post(
                        "/api/v1/organizations",
                        PLATFORM_ADMIN_TOKEN,
                        "{\"name\":\"A\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":\"5\","
                                + "\"requests_per_day\":10}}"),
                400,
                "VALIDATION_FAILED");
        assertError(
                api.post(
                        "/api/v1/organizations",
                        PLATFORM_ADMIN_TOKEN,
                        "{\"name\":\"A\",\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":1.5,"
                                + "\"requests_per_day\":10}}"),
                400,
                "VALIDATION_FAILED");
        assertError(
                api.post(
                        "/api/v1/organizations/" + organizationId + "/databases",
                        orgAdmin(organizationId),
                        "{\"name\":\"A\",\"allowed_origins\":\"https://a.example.com\"}"),
                400,
                "VALIDATION_FAILED");
        assertError(
                api.post(
                        keysPath + "/" + Ids.newKeyId() + "/roll",
                        orgAdmin(organizationId),
                        "{\"grace_period_seconds\":\"60\"}"),
                400,
                "VALIDATION_FAILED");
        assertError(
                api.post(
                        keysPath + "/" + Ids.newKeyId() + "/roll",
                        orgAdmin(organizationId),
                        "{\"grace_period_seconds\":99999999999999999999999}"),
                400,
                "VALIDATION_FAILED");
        assertThat(storedEvents()).isEqualTo(before);
    }
}
