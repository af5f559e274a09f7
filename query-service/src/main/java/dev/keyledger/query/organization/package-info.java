/**
 * The organizations endpoints of the read API over the {@code organizations} projection: one
 * organization for its members, every organization for platform admins (the portal's Organization
 * page). Stateless.
 */
package dev.keyledger.query.organization;
