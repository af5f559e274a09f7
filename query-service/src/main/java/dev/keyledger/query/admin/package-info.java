/**
 * Operator API of the query-service: the rebuild of the projections ({@code /api/v1/admin/rebuild},
 * platform admins only). The rebuild itself, its lock and its state belong to
 * {@link dev.keyledger.query.projection.Rebuild}; this package only authorises and answers. Stateless
 * and thread safe; errors are the shared error JSON (401, 403, 409).
 */
package dev.keyledger.query.admin;
