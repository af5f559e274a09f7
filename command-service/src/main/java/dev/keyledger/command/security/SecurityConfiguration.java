package dev.keyledger.command.security;

import dev.keyledger.command.web.ErrorResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.util.StringUtils;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stateless resource server. The decoder is built here rather than by Boot because Boot picks
 * the JWKS URI whenever that property is present, even empty; here a public key location wins, then
 * the issuer URI, then the JWKS URI, so a test or an operator can switch with one setting. The
 * JWKS is fetched lazily and cached by Nimbus, so a request costs a signature check only, and not
 * even that when the same token was verified less than {@code verified-token-ttl} ago
 * ({@link VerifiedTokenCache}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, JwtDecoder jwtDecoder, JsonMapper jsonMapper)
            throws Exception {
        JsonErrorWriter writer = new JsonErrorWriter(jsonMapper);
        AuthenticationEntryPoint entryPoint = (request, response, exception) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            writer.write(response, HttpServletResponse.SC_UNAUTHORIZED, ErrorResponse.invalidToken());
        };
        AccessDeniedHandler deniedHandler = (request, response, exception) ->
                writer.write(response, HttpServletResponse.SC_FORBIDDEN, ErrorResponse.forbidden("Access denied"));
        return http.csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/actuator/**", "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(jwtDecoder))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler))
                .addFilterBefore(new ApiKeyHeaderFilter(writer), BearerTokenAuthenticationFilter.class)
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties, SecurityProperties security) {
        OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
        if (jwt.getPublicKeyLocation() != null && jwt.getPublicKeyLocation().exists()) {
            return cached(NimbusJwtDecoder.withPublicKey(readPublicKey(jwt)).build(), jwt, security);
        }
        if (StringUtils.hasText(jwt.getJwkSetUri())) {
            return cached(NimbusJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build(), jwt, security);
        }
        if (StringUtils.hasText(jwt.getIssuerUri())) {
            return new SupplierJwtDecoder(() -> JwtDecoders.fromIssuerLocation(jwt.getIssuerUri()));
        }
        throw new IllegalStateException(
                "Set spring.security.oauth2.resourceserver.jwt.jwk-set-uri, issuer-uri" + " or public-key-location");
    }

    /** The default firewall with cheaper, equivalent header checks ({@link HeaderCharacters}). */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::nameAllowed);
        firewall.setAllowedHeaderValues(HeaderCharacters::valueAllowed);
        return firewall;
    }

    @Bean
    WebMvcConfigurer callerArgumentResolver(SecurityProperties properties) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver(properties));
            }
        };
    }

    private static JwtDecoder cached(
            NimbusJwtDecoder decoder, OAuth2ResourceServerProperties.Jwt jwt, SecurityProperties security) {
        OAuth2TokenValidator<Jwt> validator = validator(jwt.getIssuerUri());
        decoder.setJwtValidator(validator);
        if (security.verifiedTokenTtl().isZero() || security.verifiedTokenCacheSize() <= 0) {
            return decoder;
        }
        return new VerifiedTokenCache(
                decoder, validator, security.verifiedTokenTtl(), security.verifiedTokenCacheSize());
    }

    private static OAuth2TokenValidator<Jwt> validator(String issuer) {
        return StringUtils.hasText(issuer)
                ? JwtValidators.createDefaultWithIssuer(issuer)
                : new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefault());
    }

    private static RSAPublicKey readPublicKey(OAuth2ResourceServerProperties.Jwt jwt) {
        try (InputStream in = jwt.getPublicKeyLocation().getInputStream()) {
            return RsaKeyConverters.x509().convert(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWT public key", e);
        }
    }
}
