package dev.keyledger.contracts.kafka;

import java.util.List;

/**
 * The value of a database record on {@link Topics#ACTIVE_KEYS}, under the record key
 * {@link Topics#DATABASE_KEY_PREFIX} followed by the database id. It tells the edge which
 * organization owns a database even when the database has no public key, so a secret key of another
 * organization naming it can be refused. Published when a database is created or its origins change
 * and on every rebuild; a deleted database's record is a tombstone (decision 0012), after which the
 * edge treats the database as unknown.
 */
public record DatabaseEntry(String databaseId, String organizationId, List<String> allowedOrigins) {}
