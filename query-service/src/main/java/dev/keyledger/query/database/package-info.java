/** The databases endpoint of the read API over the {@code databases} projection. Stateless. */
package dev.keyledger.query.database;
