/**
 * Who may call what. The stateless OAuth2 resource server, the management-port rules and the
 * {@code X-API-Key} refusal are the service kit's ({@link
 * dev.keyledger.servicekit.security.ServiceSecurityConfiguration}, settings {@code
 * keyledger.security.*} and Boot's {@code spring.security.oauth2.resourceserver.jwt.*}, see
 * docs/security.md). Controllers receive a {@link dev.keyledger.command.security.Caller} and ask it
 * for the role the call needs. No or bad token: 401 INVALID_TOKEN; wrong role or organization, or an
 * {@code X-API-Key} without a JWT: 403 INSUFFICIENT_PERMISSIONS. Immutable and thread safe.
 */
package dev.keyledger.command.security;
