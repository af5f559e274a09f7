/**
 * Who may call what. A stateless OAuth2 resource server checks the bearer JWT (JWKS URI, issuer URI
 * or a public key: Boot's {@code spring.security.oauth2.resourceserver.jwt.*} settings); the claim
 * names for organization and roles are {@link dev.keyledger.command.security.SecurityProperties}.
 * Controllers receive a {@link dev.keyledger.command.security.Caller} and ask it for the role the
 * call needs. No or bad token: 401 INVALID_TOKEN; wrong role or organization, or an
 * {@code X-API-Key} without a JWT: 403 INSUFFICIENT_PERMISSIONS. Everything here is immutable
 * after start-up and thread safe, except the verified-token cache, a concurrent map.
 */
package dev.keyledger.command.security;
