/**
 * The Databases page and a database's page: its allowed origins, its public keys (full value, a
 * copy button, revoke) and an embed snippet. Changes are shown to org admins of the organization
 * only and enforced by the management API. Stateless apart from the form tokens in the session.
 */
package dev.keyledger.portal.database;
