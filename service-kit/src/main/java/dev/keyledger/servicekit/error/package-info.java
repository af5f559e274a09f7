/**
 * The contract's error JSON for answers given before Spring MVC runs: {@link
 * dev.keyledger.servicekit.error.ErrorBody} written by {@link
 * dev.keyledger.servicekit.error.ErrorBodyWriter} with the service's Jackson mapper, never by
 * string concatenation. Immutable and thread safe.
 */
package dev.keyledger.servicekit.error;
