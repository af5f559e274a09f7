/**
 * Sign-in (OpenID Connect, authorization code with PKCE), sign-out at the identity provider, the
 * response headers (content security policy without inline script, no framing), the canonical host,
 * and the single-use form tokens. The signed-in user ({@link dev.keyledger.portal.security.PortalUser})
 * comes from the ID token's claims, whose names are settings. Thread safe.
 */
package dev.keyledger.portal.security;
