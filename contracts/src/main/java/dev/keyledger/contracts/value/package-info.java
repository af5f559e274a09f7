/**
 * Value types that more than one service parses the same way: {@link
 * dev.keyledger.contracts.value.DisplayName} (names of organizations, databases and keys), {@link
 * dev.keyledger.contracts.value.OriginPattern} (an allowed browser origin) and {@link
 * dev.keyledger.contracts.value.UtcInstant} (an instant as the API accepts it). Each is parsed once,
 * where a value enters the system, and is immutable and thread safe afterwards. Bad input is an
 * {@link dev.keyledger.contracts.value.InvalidValueException} whose message is a fixed text that
 * never echoes the input; callers add the field name. The rules are listed in
 * {@code docs/command-service.md} ("Input rules").
 */
package dev.keyledger.contracts.value;
