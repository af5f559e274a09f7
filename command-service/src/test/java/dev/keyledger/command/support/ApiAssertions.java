package dev.keyledger.command.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of the error JSON shared by the management API tests. */
public final class ApiAssertions {

    private ApiAssertions() {}

    public static void assertError(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.text("code")).isEqualTo(code);
        assertThat(response.text("error")).isNotBlank();
        assertThat(response.text("message")).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    public static void assertValidationFailed(ApiClient.Response response, String field) {
        assertError(response, 400, "VALIDATION_FAILED");
        assertThat(response.json().get("details").get(0).get("field").asString())
                .isEqualTo(field);
    }

    public static void assertForbidden(ApiClient.Response response) {
        assertError(response, 403, "INSUFFICIENT_PERMISSIONS");
    }

    public static void assertUnauthorized(ApiClient.Response response) {
        assertError(response, 401, "INVALID_TOKEN");
    }

    public static void assertNotFound(ApiClient.Response response) {
        assertError(response, 404, "NOT_FOUND");
    }
}
