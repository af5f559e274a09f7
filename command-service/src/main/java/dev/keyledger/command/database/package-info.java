/**
 * Databases of an organization and their allowed browser origins: the
 * {@link dev.keyledger.command.database.Database} aggregate, its endpoints (org_admin of the
 * organization), origin validation, and the command-side {@code database_directory} the key
 * feature uses to check that a database belongs to an organization. A database of another
 * organization is answered 404 like an unknown one. The origin grammar is {@code
 * contracts.value.OriginPattern} (shared with the edge); this package adds the list rule (at most
 * 100, canonical, no duplicates) and reports violations as {@code DomainRuleViolation}. Stateless
 * and thread safe.
 */
package dev.keyledger.command.database;
