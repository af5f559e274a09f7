/**
 * Read side scale-out (decision 0007): a lease per consumer role in PostgreSQL
 * ({@code read_side_leases}), renewed about every second by the instance that holds it and taken
 * over by a standby once it has expired, and a fence ({@code read_side_fences}) that every write
 * transaction of the role checks {@code FOR SHARE}, so an instance that lost its role can never
 * commit. Thread safe; one renewal thread per instance.
 */
package dev.keyledger.query.ownership;
