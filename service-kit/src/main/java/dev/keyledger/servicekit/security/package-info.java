/**
 * Who may call the command-service and the query-service, set up once for both ({@link
 * dev.keyledger.servicekit.security.ServiceSecurityConfiguration}, imported by each service). A
 * stateless OAuth2 resource server built by Boot from {@code
 * spring.security.oauth2.resourceserver.jwt.*}, plus the issuer, clock skew, required {@code sub}
 * and {@code exp}, and claim names of {@link dev.keyledger.servicekit.security.ResourceServerSettings}.
 * Controllers read organization and roles through {@link
 * dev.keyledger.servicekit.security.CallerClaims}; the filter chains turn roles into {@code ROLE_}
 * authorities for the management port. No or bad token: 401 INVALID_TOKEN; wrong role, or an
 * {@code X-API-Key} without a JWT: 403 INSUFFICIENT_PERMISSIONS. Immutable after start-up and
 * thread safe; the verified-token cache is a bounded Caffeine cache.
 */
package dev.keyledger.servicekit.security;
