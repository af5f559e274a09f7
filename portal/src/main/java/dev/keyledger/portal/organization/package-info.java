/**
 * The Organization page (plan and limits) and, for platform admins, the list of every
 * organization, the creation of one and the change of its plan. Stateless apart from the form
 * tokens in the session.
 */
package dev.keyledger.portal.organization;
