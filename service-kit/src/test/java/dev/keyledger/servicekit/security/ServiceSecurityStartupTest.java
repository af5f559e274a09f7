package dev.keyledger.servicekit.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** A service that is not told whom to trust does not start, and says what is missing. */
class ServiceSecurityStartupTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    JacksonAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class,
                    OAuth2ResourceServerAutoConfiguration.class))
            .withUserConfiguration(ServiceSecurityConfiguration.class);

    @Test
    void withoutAnIssuerTheServiceRefusesToStart() {
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks.json")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("keyledger.security.issuer is not set"));
    }

    @Test
    void withoutASourceOfKeysTheServiceRefusesToStart() {
        runner.withPropertyValues("keyledger.security.issuer=https://issuer.example")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("No source of token signing keys is configured"));
    }

    @Test
    void symmetricAlgorithmsAreRefusedAtStartUp() {
        runner.withPropertyValues(
                        "keyledger.security.issuer=https://issuer.example",
                        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks.json",
                        "spring.security.oauth2.resourceserver.jwt.jws-algorithms=RS256,HS256")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("only asymmetric signatures"));
    }

    @Test
    void aClockSkewBeyondSixtySecondsIsRefused() {
        runner.withPropertyValues(
                        "keyledger.security.issuer=https://issuer.example",
                        "keyledger.security.clock-skew=5m",
                        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks.json")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("clock-skew must be between 0s and 60s"));
    }

    @Test
    void theIssuerUriAloneNamesTheIssuer() {
        runner.withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=https://issuer.example")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(VerifiedJwtDecoder.class));
    }

    @Test
    void anIssuerAndAJwksUriAreEnough() {
        runner.withPropertyValues(
                        "keyledger.security.issuer=https://issuer.example",
                        "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:1/jwks.json")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(CallerClaims.class));
    }
}
