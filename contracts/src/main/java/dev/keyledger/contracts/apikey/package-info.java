/**
 * API keys: the key format ({@link dev.keyledger.contracts.apikey.ApiKeyFormat}: generate, check,
 * hash), the commands of the key aggregate and its events. Format checks return a
 * {@link dev.keyledger.contracts.apikey.KeyCheck} value and never throw, because the edge runs them
 * on untrusted input for every request. All types are immutable and thread safe.
 */
package dev.keyledger.contracts.apikey;
