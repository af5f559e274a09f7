/**
 * The Keyledger portal, a backend-for-frontend. The browser holds only a session cookie; the
 * OAuth2 tokens stay in the server-side session and are relayed to the command-service and the
 * query-service on each call ({@code api}). Pages are server-rendered Thymeleaf with plain forms, so
 * every flow works without JavaScript; one static script adds the copy buttons. Feature packages:
 * {@code apikey}, {@code database}, {@code audit}, {@code organization}; {@code security} owns
 * sign-in and the response headers; {@code web} maps API refusals to pages.
 */
package dev.keyledger.portal;
