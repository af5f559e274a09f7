package dev.keyledger.standalone.authserver;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Spring Authorization Server with the development sign-in. Two filter chains: the protocol
 * endpoints (authorize, token, JWKS, discovery, userinfo, logout), which send a browser without a
 * session to the sign-in page; and everything else: the sign-in page, {@code POST /dev/token}
 * (no CSRF: it takes JSON from scripts and sets no cookie) and the style sheet. Clients come from
 * {@code spring.security.oauth2.authorizationserver.client.*} (the portal, and any configured
 * client-credentials clients, whose tokens get their configured claims), the issuer from
 * {@code spring.security.oauth2.authorizationserver.issuer}.
 */
@Configuration(proxyBeanMethods = false)
class AuthServerConfiguration {

    @Bean
    @Order(1)
    SecurityFilterChain protocolEndpoints(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.oidc(oidc -> {});
        });
        return http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signIn(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/error", "/css/**", DevTokenController.PATH)
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .csrf(csrf -> csrf.ignoringRequestMatchers(DevTokenController.PATH))
                .authenticationManager(new ProviderManager(new DevSignIn()))
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("subject")
                        .authenticationDetailsSource(DevSignIn.DETAILS)
                        .permitAll())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                                "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"))
                        .frameOptions(frame -> frame.deny()))
                .build();
    }

    /** The one signing key, kept in the data directory so tokens stay valid across restarts. */
    @Bean
    JWKSource<SecurityContext> jwkSource(AuthServerSettings settings) {
        RSAKey key = SigningKeyStore.loadOrCreate(settings.keyFile());
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtEncoder jwtEncoder(JWKSource<SecurityContext> keys) {
        return new NimbusJwtEncoder(keys);
    }

    /**
     * The claims the APIs read: {@code organization_id} and {@code roles} in access and ID tokens
     * (the portal reads them from the ID token), and the APIs' audience in access tokens.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> keyledgerClaims(AuthServerSettings settings) {
        return context -> {
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                    && OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                // A script's token: no user, the claims configured for its client.
                settings.claimsOf(context.getRegisteredClient().getClientId()).ifPresent(client -> {
                    context.getClaims().claim("roles", client.roles());
                    if (client.organizationId() != null) {
                        context.getClaims().claim("organization_id", client.organizationId());
                    }
                    context.getClaims().audience(List.of(settings.audience()));
                });
                return;
            }
            if (!(context.getPrincipal().getPrincipal() instanceof DevUser user)) {
                return;
            }
            boolean access = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
            boolean id = "id_token".equals(context.getTokenType().getValue());
            if (!access && !id) {
                return;
            }
            context.getClaims().claim("roles", user.roles());
            if (user.organizationId() != null) {
                context.getClaims().claim("organization_id", user.organizationId());
            }
            if (access) {
                context.getClaims().audience(List.of(settings.audience()));
            }
        };
    }

    /** Before any other filter, so no response of this provider reaches a rebinding host name. */
    @Bean
    FilterRegistrationBean<HostAllowlistFilter> hostAllowlist(AuthServerSettings settings) {
        FilterRegistrationBean<HostAllowlistFilter> registration =
                new FilterRegistrationBean<>(new HostAllowlistFilter(settings.allowedHosts()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
