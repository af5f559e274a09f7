/**
 * The development identity provider: one RSA 2048 signing key, created on first start and kept in
 * the data directory so tokens stay valid across restarts; its JWKS and OpenID discovery document;
 * and {@code POST /dev/token}, which signs an RS256 JWT for whatever subject, organization and roles
 * the caller asks for. It trusts every caller, which is why it binds to loopback and exists only in
 * the standalone. Invalid requests get a 400 VALIDATION_FAILED error JSON. Thread safe: the key is
 * immutable once loaded.
 */
package dev.keyledger.standalone.idp;
