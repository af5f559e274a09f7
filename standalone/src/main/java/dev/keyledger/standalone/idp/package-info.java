/**
 * The development identity provider: one RSA 2048 signing key, created on first start and kept in
 * the data directory so tokens stay valid across restarts; its JWKS and OpenID discovery document;
 * and {@code POST /dev/token}, which signs an RS256 JWT (with the services' audience) for whatever
 * subject, organization and roles the caller asks for. It trusts every caller, which is why it
 * binds to loopback, refuses any request whose {@code Host} is not an allowed loopback name (403
 * HOST_NOT_ALLOWED: no DNS rebinding from a web page), and is trusted only by services the
 * standalone starts (they have no default identity provider). Invalid requests get a 400
 * VALIDATION_FAILED error JSON. Thread safe: the key is immutable once loaded.
 */
package dev.keyledger.standalone.idp;
