/**
 * Authentication and the organization scoping of reads. The resource server (issuer, audience,
 * algorithms, clock skew, claim names), the management-port rules and the {@code X-API-Key} refusal
 * are the service kit's ({@link dev.keyledger.servicekit.security.ServiceSecurityConfiguration}, see
 * docs/security.md); {@link dev.keyledger.query.security.OrganizationAccess} decides per request
 * whether the caller may read an organization, or act as platform admin. Stateless and thread safe;
 * failures are 401 INVALID_TOKEN or 403 INSUFFICIENT_PERMISSIONS in the shared error JSON.
 */
package dev.keyledger.query.security;
