/**
 * The API Keys page: the organization's secret keys, their creation (plaintext shown once, in the
 * creating response only), rolling, revocation through a confirmation dialog, and a key's own page
 * with its usage chart and history. Controls that change something are shown to org admins of the
 * organization only; the APIs refuse them to anyone else anyway. Stateless apart from the
 * single-use form tokens in the session.
 */
package dev.keyledger.portal.apikey;
