package dev.keyledger.servicekit.security;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.keyledger.servicekit.error.ContainerErrorConfiguration;
import dev.keyledger.servicekit.error.ErrorBody;
import dev.keyledger.servicekit.error.ErrorBodyWriter;
import dev.keyledger.servicekit.securitylog.RefusalReasons;
import dev.keyledger.servicekit.securitylog.RefusalRecorder;
import dev.keyledger.servicekit.securitylog.SecurityLogConfiguration;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one security setup of the command-service and the query-service (each imports it). Boot's
 * resource-server auto-configuration builds the {@link JwtDecoder} from
 * {@code spring.security.oauth2.resourceserver.jwt.*} (JWKS URI, issuer URI or public key, with
 * its {@code jws-algorithms} and {@code audiences}); this class adds the validators Boot does not
 * apply in every case (issuer, clock skew, a required {@code exp} and {@code sub}), refuses
 * symmetric and unsigned algorithms at start-up, and defines two stateless filter chains:
 *
 * <ul>
 *   <li>the management port: {@code health} and {@code prometheus} for anyone, every other
 *       actuator endpoint only with a {@code platform_admin} JWT;
 *   <li>the API: every request needs a valid bearer JWT (roles are checked by the controllers),
 *       except an anonymous {@code GET} of the OpenAPI document ({@link #OPENAPI_DOCUMENT_PATH});
 *       an {@code X-API-Key} without one is 403 "API keys cannot manage API keys".
 * </ul>
 *
 * In both, a request with more than one {@code Authorization} header is 401 INVALID_TOKEN ({@link
 * SingleBearerTokenResolver}). Every refusal is the contract's error JSON written with Jackson,
 * also those Tomcat gives before any filter runs ({@link ContainerErrorConfiguration}). Every 401
 * and 403 of both chains and of the controllers behind them is recorded in the security log by the
 * chain's first filter ({@link RefusalRecorder}, decision record 0014).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResourceServerSettings.class)
@Import({ContainerErrorConfiguration.class, SecurityLogConfiguration.class})
public class ServiceSecurityConfiguration {

    /**
     * The API's OpenAPI document (springdoc, {@code docs/openapi/}): the one path of the API port
     * that an anonymous {@code GET} may read. A bearer token sent with it is still verified.
     */
    public static final String OPENAPI_DOCUMENT_PATH = "/v3/api-docs";

    /** The authority a token's {@code platform_admin} role becomes ({@code hasRole} adds the prefix). */
    static final String ROLE_PREFIX = "ROLE_";

    private static final Logger LOG = LoggerFactory.getLogger(ServiceSecurityConfiguration.class);

    /**
     * Added by Boot to the validators of whichever decoder it builds: Boot checks the issuer only
     * when its keys come from {@code issuer-uri}, and allows 60 s of clock skew.
     */
    @Bean
    OAuth2TokenValidator<Jwt> keyledgerTokenValidator(
            ResourceServerSettings settings, OAuth2ResourceServerProperties resourceServer) {
        String issuer = effectiveIssuer(settings, resourceServer.getJwt());
        JwtTimestampValidator timestamps = new JwtTimestampValidator(settings.clockSkew());
        timestamps.setAllowEmptyExpiryClaim(false);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtIssuerValidator(issuer));
        validators.add(timestamps);
        validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB, StringUtils::hasText));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    @Bean
    CallerClaims callerClaims(ResourceServerSettings settings) {
        return new CallerClaims(settings.organizationClaim(), settings.rolesClaim());
    }

    /** Roles from the configured claim become {@code ROLE_<role>} authorities; the principal is {@code sub}. */
    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter(CallerClaims claims) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> claims.roles(jwt).stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority(ROLE_PREFIX + role))
                .toList());
        return converter;
    }

    @Bean
    ErrorBodyWriter errorBodyWriter(JsonMapper jsonMapper) {
        return new ErrorBodyWriter(jsonMapper);
    }

    /**
     * Spring Security's default firewall with cheaper, equivalent header checks ({@link
     * HeaderCharacters}).
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::nameAllowed);
        firewall.setAllowedHeaderValues(HeaderCharacters::valueAllowed);
        return firewall;
    }

    /** The decoder both chains use: Boot's, behind the verified-token cache when that is on. */
    @Bean
    VerifiedJwtDecoder verifiedJwtDecoder(
            ObjectProvider<JwtDecoder> decoders,
            ResourceServerSettings settings,
            OAuth2ResourceServerProperties resourceServer) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        refuseWeakAlgorithms(jwt.getJwsAlgorithms());
        JwtDecoder decoder = decoders.getIfUnique();
        if (decoder == null) {
            throw new IllegalStateException("No source of token signing keys is configured: set"
                    + " spring.security.oauth2.resourceserver.jwt.jwk-set-uri (or issuer-uri, or"
                    + " public-key-location) to your identity provider. Services started by the standalone"
                    + " get its development identity provider; nothing else is trusted by default.");
        }
        if (jwt.getAudiences() == null || jwt.getAudiences().isEmpty()) {
            LOG.warn("spring.security.oauth2.resourceserver.jwt.audiences is not set: tokens the issuer"
                    + " minted for other applications are accepted too");
        }
        if (settings.verifiedTokenTtl().isZero() || settings.verifiedTokenCacheSize() == 0) {
            return new VerifiedJwtDecoder(decoder);
        }
        return new VerifiedJwtDecoder(new VerifiedTokenCache(
                decoder,
                settings.verifiedTokenTtl(),
                settings.verifiedTokenCacheSize(),
                Clock.systemUTC(),
                Ticker.systemTicker()));
    }

    @Bean
    @Order(1)
    SecurityFilterChain managementSecurityFilterChain(
            HttpSecurity http,
            VerifiedJwtDecoder decoder,
            JwtAuthenticationConverter converter,
            ErrorBodyWriter writer,
            SecurityLogConfiguration.RefusalRecorders recorders)
            throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(EndpointRequest.to("health", "prometheus"))
                        .permitAll()
                        .anyRequest()
                        .hasRole(CallerClaims.PLATFORM_ADMIN));
        return stateless(
                        http, decoder, converter, writer, "The platform_admin role is required", recorders.management())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurityFilterChain(
            HttpSecurity http,
            VerifiedJwtDecoder decoder,
            JwtAuthenticationConverter converter,
            ErrorBodyWriter writer,
            SecurityLogConfiguration.RefusalRecorders recorders)
            throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers("/error")
                .permitAll()
                .requestMatchers(HttpMethod.GET, OPENAPI_DOCUMENT_PATH)
                .permitAll()
                .anyRequest()
                .authenticated());
        return stateless(http, decoder, converter, writer, "Access denied", recorders.api())
                .build();
    }

    private static HttpSecurity stateless(
            HttpSecurity http,
            VerifiedJwtDecoder decoder,
            JwtAuthenticationConverter converter,
            ErrorBodyWriter writer,
            String deniedMessage,
            RefusalRecorder recorder)
            throws Exception {
        AuthenticationEntryPoint entryPoint = (request, response, exception) -> {
            RefusalReasons.noteAuthenticationFailure(request, exception);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            writer.write(response, HttpServletResponse.SC_UNAUTHORIZED, ErrorBody.invalidToken());
        };
        AccessDeniedHandler deniedHandler = (request, response, exception) ->
                writer.write(response, HttpServletResponse.SC_FORBIDDEN, ErrorBody.forbidden(deniedMessage));
        return http.csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new SingleBearerTokenResolver())
                        .jwt(jwt -> jwt.decoder(decoder.asJwtDecoder()).jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(deniedHandler)
                        .withObjectPostProcessor(failureHandler(entryPoint, writer)))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(deniedHandler))
                .addFilterBefore(new ApiKeyRefusalFilter(writer), BearerTokenAuthenticationFilter.class)
                // Outermost, so it sees every refusal of the chain and of the controllers behind it.
                .addFilterBefore(recorder, DisableEncodeUrlFilter.class);
    }

    /**
     * A token that could not be checked because the identity provider's keys did not answer (an
     * {@link AuthenticationServiceException}) is refused with 503 and {@code Retry-After}, not
     * rethrown into a 500; a bad token stays a 401.
     */
    static ObjectPostProcessor<BearerTokenAuthenticationFilter> failureHandler(
            AuthenticationEntryPoint entryPoint, ErrorBodyWriter writer) {
        AuthenticationFailureHandler handler = (request, response, exception) -> {
            if (exception instanceof AuthenticationServiceException) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "5");
                writer.write(
                        response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, ErrorBody.tokenVerificationUnavailable());
            } else {
                entryPoint.commence(request, response, exception);
            }
        };
        return new ObjectPostProcessor<>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                filter.setAuthenticationFailureHandler(handler);
                return filter;
            }
        };
    }

    static String effectiveIssuer(ResourceServerSettings settings, OAuth2ResourceServerProperties.Jwt jwt) {
        if (StringUtils.hasText(settings.issuer())) {
            return settings.issuer();
        }
        if (StringUtils.hasText(jwt.getIssuerUri())) {
            return jwt.getIssuerUri();
        }
        throw new IllegalStateException("keyledger.security.issuer is not set: name the issuer (the iss claim)"
                + " of your identity provider's tokens. Every token is checked against it, also when keys"
                + " come from a JWKS URI or a public key. The standalone sets it to its development identity"
                + " provider.");
    }

    /** Symmetric and unsigned tokens are never accepted, whatever {@code jws-algorithms} says. */
    static void refuseWeakAlgorithms(List<String> algorithms) {
        for (String algorithm : algorithms) {
            String name = algorithm.toUpperCase(Locale.ROOT);
            if (name.startsWith("HS") || name.equals("NONE")) {
                throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.jws-algorithms names "
                        + algorithm + ": only asymmetric signatures (RS*, PS*, ES*) are accepted");
            }
        }
    }
}
