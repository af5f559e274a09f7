/**
 * Clients of the management API ({@link dev.keyledger.portal.api.CommandApi}) and the read API
 * ({@link dev.keyledger.portal.api.QueryApi}). Every call relays the signed-in user's access token
 * from the server-side session; the APIs decide what the user may do, and a refusal comes back as
 * an {@link dev.keyledger.portal.api.ApiException} with the API's status and error code. Thread
 * safe; each call runs on the request's thread because the token comes from its session.
 */
package dev.keyledger.portal.api;
