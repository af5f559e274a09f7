package dev.keyledger.query.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.query.support.QueryServiceIntegrationTestBase;
import dev.keyledger.query.support.TestTokens;
import dev.keyledger.servicekit.testing.HostileTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens with one flaw each (issue 9 item 5) are 401 INVALID_TOKEN on the read API. The same cases
 * run against the command-service.
 */
class JwtEdgeCasesIntegrationTest extends QueryServiceIntegrationTestBase {

    private static final String PATH = "/api/v1/organizations/org_jwtedgecases/api-keys";

    static List<HostileTokens.Case> hostileTokens() {
        return TestTokens.hostile().all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void aFlawedTokenIsRefusedWithInvalidToken(HostileTokens.Case hostile) {
        HttpResponse<String> response = get(PATH, hostile.token());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.body())
                .isEqualTo("{\"error\":\"unauthorized\",\"message\":\"Missing or invalid bearer token\","
                        + "\"code\":\"INVALID_TOKEN\"}");
    }

    @Test
    void twoAuthorizationHeadersAreRefusedWithInvalidTokenEvenWhenBothAreValid() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + PATH))
                .header("Authorization", "Bearer " + TestTokens.hostile().valid())
                .header("Authorization", "Bearer " + TestTokens.hostile().valid())
                .GET()
                .build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.body())
                .isEqualTo("{\"error\":\"unauthorized\",\"message\":\"Missing or invalid bearer token\","
                        + "\"code\":\"INVALID_TOKEN\"}");
    }

    @Test
    void theSameTokenWithoutItsFlawIsAccepted() {
        HttpResponse<String> response = get(PATH, TestTokens.hostile().valid());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsStillAccepted() {
        HttpResponse<String> response = get(PATH, TestTokens.hostile().expiredAgo(Duration.ofSeconds(10)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
