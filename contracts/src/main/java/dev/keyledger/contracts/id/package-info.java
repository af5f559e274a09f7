/** Type-prefixed, time-sortable identifiers ({@code org_}, {@code db_}, {@code key_} plus a ULID). */
package dev.keyledger.contracts.id;
