/**
 * The standalone's identity provider: Spring Authorization Server (OAuth 2.1 and OpenID Connect)
 * in its own Spring context, with a development sign-in page where any subject signs in with an
 * organization and a role, the registered {@code portal} client (authorization code with PKCE, no
 * consent screen), and {@code POST /dev/token} for scripts. Every token is signed with one RSA key
 * kept in the data directory and carries {@code organization_id} and {@code roles}; access tokens
 * carry the APIs' audience. Requests whose {@code Host} is not an allowed (loopback) name are
 * refused. Sign-ins and authorizations live in memory, so a restart signs everyone out; tokens
 * already issued stay valid because the key survives. Thread safe once started.
 */
package dev.keyledger.standalone.authserver;
