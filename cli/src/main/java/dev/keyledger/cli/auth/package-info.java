/**
 * Sign-in for scripts: the OAuth 2.0 client-credentials grant against any OIDC provider (the
 * token endpoint from its discovery document, client_secret_basic), used by {@code auth token}
 * and by the connection flags when no bearer token is given. Secrets are never printed.
 */
package dev.keyledger.cli.auth;
