/**
 * API keys: the {@link dev.keyledger.command.apikey.ApiKey} aggregate, the atomic roll
 * ({@link dev.keyledger.command.apikey.RollApiKeyHandler}), the endpoints (org_admin of the key's
 * organization), the command-side {@code api_key_directory} for responses, and expiry: the
 * {@code api_key_expiry} table of pending expiries plus a poller that sends
 * {@code ExpireApiKeyCommand}s when they fall due, so expiry survives restarts. The plaintext of a
 * key exists only in the request that creates it and in that response; events and tables hold its
 * SHA-256 and last four characters (public keys also their plaintext, public by design). A key of
 * another organization is 404 exactly like an unknown key. Input rules (name a {@code
 * DisplayName}, {@code expires_at} a strict {@code UtcInstant} at most ten years ahead, grace period
 * 0 to 604800 s) are the aggregate's: it throws {@code DomainRuleViolation} (400) and {@code
 * UnknownAggregate} (404) from {@code command.domain}, never a web type. Thread safe: state lives in
 * aggregates and PostgreSQL.
 */
package dev.keyledger.command.apikey;
