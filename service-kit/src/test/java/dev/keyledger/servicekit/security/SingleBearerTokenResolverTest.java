package dev.keyledger.servicekit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

class SingleBearerTokenResolverTest {

    private final SingleBearerTokenResolver resolver = new SingleBearerTokenResolver();

    @Test
    void oneBearerHeaderYieldsItsToken() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "Bearer abc.def.ghi");

        assertThat(resolver.resolve(request)).isEqualTo("abc.def.ghi");
    }

    @Test
    void noAuthorizationHeaderYieldsNoToken() {
        assertThat(resolver.resolve(new MockHttpServletRequest())).isNull();
    }

    @Test
    void twoAuthorizationHeadersAreRefusedEvenWhenBothAreBearerTokens() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "Bearer first.token.x");
        request.addHeader("Authorization", "Bearer second.token.y");

        assertThatThrownBy(() -> resolver.resolve(request))
                .isInstanceOfSatisfying(
                        OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST));
    }

    @Test
    void aSecondAuthorizationHeaderOfAnotherSchemeIsRefusedToo() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("Authorization", "Basic YWxpY2U6c2VjcmV0");
        request.addHeader("Authorization", "Bearer second.token.y");

        assertThatThrownBy(() -> resolver.resolve(request)).isInstanceOf(OAuth2AuthenticationException.class);
    }
}
