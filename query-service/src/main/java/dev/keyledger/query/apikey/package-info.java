/**
 * The key endpoints of the read API over the {@code api_keys} projection and the usage tables
 * ({@code key_usage}, {@code key_usage_minutes|hours|days}). Stateless; every request
 * checks organization scope first, then parameters (400), then existence (404, also for a key of
 * another organization so that ids do not leak).
 */
package dev.keyledger.query.apikey;
