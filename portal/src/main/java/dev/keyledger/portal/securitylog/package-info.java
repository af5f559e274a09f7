/**
 * The {@code Security log} page (platform_admin): refused calls of the management and read APIs as
 * the read API's {@code GET /api/v1/security-log} pages them; linked in the navigation only for
 * platform admins. Stateless; bad filters are a 400 page, other users the {@code Access denied} page.
 */
package dev.keyledger.portal.securitylog;
