/**
 * Incident controls of the portal (decision 0012): suspending and reactivating an organization
 * (platform admins), revoking every key of an organization at once, deleting a database, and the
 * banner that tells everyone reading a suspended organization why. Each change is confirmed in a
 * dialog page first, like {@code Revoke}; the APIs decide who may do it, and the portal shows the
 * controls only to those who may. Stateless; errors of the APIs become the usual error pages.
 */
package dev.keyledger.portal.incident;
