package dev.keyledger.command.web;

import static dev.keyledger.command.support.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The input rules of docs/command-service.md ("Input rules"), value by value, on every write
 * endpoint that takes the value: each refused value is 400 VALIDATION_FAILED naming its field and
 * stores nothing; the values at the bounds are accepted.
 */
class InputRulesIntegrationTest extends ManagementApiIntegrationTestBase {

    private String organizationId;
    private String databaseId;
    private String keyId;

    @BeforeEach
    void fixtures() {
        organizationId = newOrganization();
        databaseId = newDatabase(organizationId);
        keyId = newSecretKey(organizationId).text("id");
    }

    /** A JSON string literal that would break a name rule, as it appears in a body. */
    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("NUL", "\"a\\u0000b\""),
                Arguments.of("tab", "\"a\\tb\""),
                Arguments.of("newline", "\"a\\nb\""),
                Arguments.of("carriage return", "\"a\\rb\""),
                Arguments.of("escape sequence", "\"\\u001b[2J\""),
                Arguments.of("bidi override", "\"a\\u202eb\""),
                Arguments.of("zero width joiner", "\"a\\u200db\""),
                Arguments.of("lone high surrogate", "\"a\\ud800\""),
                Arguments.of("lone low surrogate", "\"\\udc00a\""),
                Arguments.of("noncharacter", "\"a\\uffffb\""),
                Arguments.of("private use", "\"\\ue000\""),
                Arguments.of("paragraph separator", "\"a\\u2029b\""),
                Arguments.of("empty", "\"\""),
                Arguments.of("blank", "\" \\u00a0 \""),
                Arguments.of("101 characters", "\"" + "n".repeat(101) + "\""),
                Arguments.of("null", "null"));
    }

    /** Every endpoint that takes a name, as a function from the name literal to the response. */
    private List<Function<String, ApiClient.Response>> nameEndpoints() {
        return List.of(
                name -> api.post(
                        "/api/v1/organizations", PLATFORM_ADMIN_TOKEN, "{\"name\":" + name + ",\"plan\":\"free\"}"),
                name -> api.post(
                        "/api/v1/organizations/" + organizationId + "/databases",
                        orgAdmin(organizationId),
                        "{\"name\":" + name + ",\"allowed_origins\":[]}"),
                name -> api.post(keys(), orgAdmin(organizationId), "{\"name\":" + name + "}"),
                name -> api.post(publicKeys(), orgAdmin(organizationId), "{\"name\":" + name + "}"),
                name -> api.patch(keys() + "/" + keyId, orgAdmin(organizationId), "{\"name\":" + name + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void aBadNameIsRefusedOnEveryEndpointThatTakesOne(String description, String name) {
        for (Function<String, ApiClient.Response> endpoint : nameEndpoints()) {
            long before = storedEvents();
            assertRefused(endpoint.apply(name), "name");
            assertThat(storedEvents()).isEqualTo(before);
        }
    }

    @Test
    void namesAtTheBoundsAreAcceptedTrimmedAndKeptAsTyped() {
        String hundred = "🚀".repeat(100);
        for (Function<String, ApiClient.Response> endpoint : nameEndpoints()) {
            ApiClient.Response response = endpoint.apply("\"" + hundred + "\"");
            assertThat(response.status()).as(response.body()).isIn(200, 201);
            assertThat(response.text("name")).isEqualTo(hundred);
        }
        ApiClient.Response trimmed = api.post(keys(), orgAdmin(organizationId), "{\"name\":\"  ops\\\\staging \\t\"}");
        assertThat(trimmed.status()).as(trimmed.body()).isEqualTo(201);
        assertThat(trimmed.text("name")).isEqualTo("ops\\staging");
    }

    static Stream<Arguments> badOrigins() {
        return Stream.of(
                        "\"app.example.com\"",
                        "\"ftp://app.example.com\"",
                        "\"https://app.example.com/\"",
                        "\"https://app.example.com/path\"",
                        "\"https://app.example.com?q=1\"",
                        "\"https://user@app.example.com\"",
                        "\"https://app.example.com:0\"",
                        "\"https://app.example.com:65536\"",
                        "\"http://[::1]:3000\"",
                        "\"http://*.example.com\"",
                        "\"https://*.com\"",
                        "\"https://a.*.example.com\"",
                        "\"https://app.example.com\\\\evil\"",
                        "\"https://app.example.com\\t\"",
                        "\"https://app\\u0000.example.com\"",
                        "\"https://\\u00e4pp.example.com\"",
                        "\"https://" + "a".repeat(300) + ".com\"",
                        "null",
                        "5")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrigins")
    void aBadOriginIsRefusedWhenCreatingADatabaseAndWhenChangingItsOrigins(String origin) {
        long before = storedEvents();
        String list = "[\"https://ok.example.com\"," + origin + "]";

        assertRefused(
                api.post(
                        "/api/v1/organizations/" + organizationId + "/databases",
                        orgAdmin(organizationId),
                        "{\"name\":\"Main\",\"allowed_origins\":" + list + "}"),
                "allowed_origins[1]");
        assertRefused(
                api.put(allowedOrigins(), orgAdmin(organizationId), "{\"allowed_origins\":" + list + "}"),
                "allowed_origins[1]");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void moreThanOneHundredOriginsAreRefusedAndOneHundredAccepted() {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            list.append(i == 0 ? "" : ",").append("\"https://a").append(i).append(".example.com\"");
        }
        String hundred = list + "]";
        String hundredAndOne = list + ",\"https://extra.example.com\"]";

        assertRefused(
                api.put(allowedOrigins(), orgAdmin(organizationId), "{\"allowed_origins\":" + hundredAndOne + "}"),
                "allowed_origins");
        assertRefused(
                api.post(
                        "/api/v1/organizations/" + organizationId + "/databases",
                        orgAdmin(organizationId),
                        "{\"name\":\"Main\",\"allowed_origins\":" + hundredAndOne + "}"),
                "allowed_origins");
        ApiClient.Response accepted =
                api.put(allowedOrigins(), orgAdmin(organizationId), "{\"allowed_origins\":" + hundred + "}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("allowed_origins").size()).isEqualTo(100);
    }

    @Test
    void originsAreStoredInCanonicalForm() {
        ApiClient.Response response = api.put(
                allowedOrigins(),
                orgAdmin(organizationId),
                "{\"allowed_origins\":[\"HTTPS://App.Example.com:443\",\"https://app.example.com\","
                        + "\"http://localhost:65535\",\"https://*.Shop.example\"]}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("allowed_origins").values().stream().map(n -> n.asString()))
                .containsExactly("https://app.example.com", "http://localhost:65535", "https://*.shop.example");
    }

    static Stream<Arguments> badExpiries() {
        return Stream.of(
                        "\"+10000-01-01T00:00:00Z\"",
                        "\"-1000000000-01-01T00:00:00Z\"",
                        "\"9999-12-31T23:59:59Z\"",
                        "\"2016-12-31T23:59:60Z\"",
                        "\"2099-01-01T00:00:00+02:00\"",
                        "\"2099-01-01T00:00:00+00:00\"",
                        "\"2099-01-01T00:00:00\"",
                        "\"2099-01-01\"",
                        "\"2099-02-30T00:00:00Z\"",
                        "\"2099-01-01T24:00:00Z\"",
                        "\"2000-01-01T00:00:00Z\"",
                        "\"tomorrow\"",
                        "\"\"",
                        "4102444800",
                        "true")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExpiries")
    void aBadExpiryIsRefusedForSecretAndPublicKeys(String expiresAt) {
        long before = storedEvents();
        String body = "{\"name\":\"CI\",\"expires_at\":" + expiresAt + "}";

        assertRefused(api.post(keys(), orgAdmin(organizationId), body), "expires_at");
        assertRefused(api.post(publicKeys(), orgAdmin(organizationId), body), "expires_at");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void anExpiryMoreThanTenYearsAheadIsRefused() {
        Instant tooLate = Instant.now()
                .atOffset(ZoneOffset.UTC)
                .plusYears(10)
                .plusMinutes(1)
                .toInstant()
                .truncatedTo(ChronoUnit.SECONDS);
        String body = "{\"name\":\"CI\",\"expires_at\":\"" + tooLate + "\"}";

        assertRefused(api.post(keys(), orgAdmin(organizationId), body), "expires_at");
        assertRefused(api.post(publicKeys(), orgAdmin(organizationId), body), "expires_at");
        assertRefused(
                api.post(
                        keys(),
                        orgAdmin(organizationId),
                        "{\"name\":\"CI\",\"expires_at\":\"+10000-01-01T00:00:00Z\"}"),
                "expires_at");
    }

    @Test
    void anExpiryTenYearsMinusAMinuteAheadIsAccepted() {
        Instant justInside = Instant.now()
                .atOffset(ZoneOffset.UTC)
                .plusYears(10)
                .minusMinutes(1)
                .toInstant()
                .truncatedTo(ChronoUnit.SECONDS);
        String body = "{\"name\":\"CI\",\"expires_at\":\"" + justInside + "\"}";

        ApiClient.Response secret = api.post(keys(), orgAdmin(organizationId), body);
        ApiClient.Response pub = api.post(publicKeys(), orgAdmin(organizationId), body);

        assertThat(secret.status()).as(secret.body()).isEqualTo(201);
        assertThat(Instant.parse(secret.text("expires_at"))).isEqualTo(justInside);
        assertThat(pub.status()).as(pub.body()).isEqualTo(201);
    }

    static Stream<Arguments> badGracePeriods() {
        return Stream.of(
                        "-1",
                        "604801",
                        "9223372036854775807",
                        "-9223372036854775808",
                        "99999999999999999999999",
                        "1.5",
                        "1e3",
                        "\"60\"",
                        "null",
                        "true",
                        "[60]")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badGracePeriods")
    void aBadGracePeriodIsRefused(String grace) {
        long before = storedEvents();

        assertRefused(
                api.post(
                        keys() + "/" + keyId + "/roll",
                        orgAdmin(organizationId),
                        "{\"grace_period_seconds\":" + grace + "}"),
                "grace_period_seconds");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void gracePeriodsAtTheBoundsAreAccepted() {
        ApiClient.Response zero =
                api.post(keys() + "/" + keyId + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":0}");
        assertThat(zero.status()).as(zero.body()).isEqualTo(201);
        String other = newSecretKey(organizationId).text("id");
        ApiClient.Response week =
                api.post(keys() + "/" + other + "/roll", orgAdmin(organizationId), "{\"grace_period_seconds\":604800}");
        assertThat(week.status()).as(week.body()).isEqualTo(201);
    }

    static Stream<Arguments> badLimits() {
        return Stream.of(
                Arguments.of("{\"requests_per_minute\":0,\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of("{\"requests_per_minute\":-5,\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of(
                        "{\"requests_per_minute\":1000000001,\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of(
                        "{\"requests_per_minute\":10,\"requests_per_day\":1000000000001}", "limits.requests_per_day"),
                Arguments.of(
                        "{\"requests_per_minute\":10,\"requests_per_day\":9223372036854775807}",
                        "limits.requests_per_day"),
                Arguments.of(
                        "{\"requests_per_minute\":99999999999999999999,\"requests_per_day\":10}",
                        "limits.requests_per_minute"),
                Arguments.of("{\"requests_per_minute\":1.5,\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of("{\"requests_per_minute\":\"10\",\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of("{\"requests_per_day\":10}", "limits.requests_per_minute"),
                Arguments.of("null", "limits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLimits")
    void badEnterpriseLimitsAreRefusedOnCreateAndOnPlanChange(String limits, String field) {
        long before = storedEvents();

        assertRefused(
                api.post(
                        "/api/v1/organizations",
                        PLATFORM_ADMIN_TOKEN,
                        "{\"name\":\"Big\",\"plan\":\"enterprise\",\"limits\":" + limits + "}"),
                field);
        assertRefused(
                api.put(
                        "/api/v1/organizations/" + organizationId + "/plan",
                        PLATFORM_ADMIN_TOKEN,
                        "{\"plan\":\"enterprise\",\"limits\":" + limits + "}"),
                field);
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void limitsAtTheBoundsAreAccepted() {
        ApiClient.Response response = api.put(
                "/api/v1/organizations/" + organizationId + "/plan",
                PLATFORM_ADMIN_TOKEN,
                "{\"plan\":\"enterprise\",\"limits\":{\"requests_per_minute\":1000000000,"
                        + "\"requests_per_day\":1000000000000}}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("limits").get("requests_per_day").asLong())
                .isEqualTo(1_000_000_000_000L);
    }

    @Test
    void limitsOnAStandardPlanAreRefused() {
        assertRefused(
                api.put(
                        "/api/v1/organizations/" + organizationId + "/plan",
                        PLATFORM_ADMIN_TOKEN,
                        "{\"plan\":\"pro\",\"limits\":{\"requests_per_minute\":10,\"requests_per_day\":10}}"),
                "limits");
    }

    private static void assertRefused(ApiClient.Response response, String field) {
        assertError(response, 400, "VALIDATION_FAILED");
        assertThat(response.json().has("details")).as(response.body()).isTrue();
        assertThat(response.json().get("details").values().stream()
                        .map(d -> d.get("field").asString()))
                .as(response.body())
                .contains(field);
        assertThat(response.json().get("details").get(0).get("message").asString())
                .isNotBlank();
    }

    private String keys() {
        return "/api/v1/organizations/" + organizationId + "/api-keys";
    }

    private String publicKeys() {
        return "/api/v1/organizations/" + organizationId + "/databases/" + databaseId + "/api-keys";
    }

    private String allowedOrigins() {
        return "/api/v1/organizations/" + organizationId + "/databases/" + databaseId + "/allowed-origins";
    }
}
