/**
 * The organization's audit log page and its NDJSON download, streamed from the read API without
 * holding it in memory. Read-only; stateless.
 */
package dev.keyledger.portal.audit;
