package dev.keyledger.command.security;

import static dev.keyledger.command.support.ApiAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyledger.command.support.ApiClient;
import dev.keyledger.command.support.ManagementApiIntegrationTestBase;
import dev.keyledger.command.support.TestJwts;
import dev.keyledger.servicekit.testing.HostileTokens;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens with one flaw each (issue 9 item 5) are 401 INVALID_TOKEN on the management API, and
 * nothing is created. The same cases run against the query-service.
 */
class JwtEdgeCasesIntegrationTest extends ManagementApiIntegrationTestBase {

    private static final String BODY = "{\"name\":\"Hostile\",\"plan\":\"free\"}";

    static List<HostileTokens.Case> hostileTokens() {
        return TestJwts.hostile().all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void aFlawedTokenIsRefusedWithInvalidToken(HostileTokens.Case hostile) {
        long before = storedEvents();

        ApiClient.Response response = api.post("/api/v1/organizations", hostile.token(), BODY);

        assertUnauthorized(response);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void twoAuthorizationHeadersAreRefusedWithInvalidTokenEvenWhenBothAreValid() {
        long before = storedEvents();

        ApiClient.Response response = api.request("POST", "/api/v1/organizations")
                .bearer(TestJwts.hostile().valid())
                .header("Authorization", "Bearer " + TestJwts.hostile().valid())
                .json(BODY)
                .send();

        assertUnauthorized(response);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(storedEvents()).isEqualTo(before);
    }

    @Test
    void theSameTokenWithoutItsFlawIsAccepted() {
        ApiClient.Response response =
                api.post("/api/v1/organizations", TestJwts.hostile().valid(), BODY);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsStillAccepted() {
        ApiClient.Response response =
                api.post("/api/v1/organizations", TestJwts.hostile().expiredAgo(Duration.ofSeconds(10)), BODY);

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
}
