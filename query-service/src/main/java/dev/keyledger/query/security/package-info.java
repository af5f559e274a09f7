/**
 * Authentication (Spring resource server, RS256 JWTs from a configured issuer or JWKS) and the
 * organization scoping of reads. Stateless and thread safe; failures are 401 INVALID_TOKEN or 403
 * INSUFFICIENT_PERMISSIONS in the shared error JSON.
 */
package dev.keyledger.query.security;
