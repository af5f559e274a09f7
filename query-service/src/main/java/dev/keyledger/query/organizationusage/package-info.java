/**
 * The organization usage endpoint of the read API, {@code GET /api/v1/organizations/{org}/usage}:
 * the organization's hour or day totals and its keys' sums over one range, read from the usage
 * buckets ({@code key_usage_hours|days}) joined to {@code key_usage} for the organization. Reads
 * only; the buckets are written by {@code dev.keyledger.query.usage}. Every request checks
 * organization scope first, then parameters (400).
 */
package dev.keyledger.query.organizationusage;
