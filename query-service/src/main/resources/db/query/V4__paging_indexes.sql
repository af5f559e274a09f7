-- Keyset paging of the read API (docs/query-service.md, "Paging"): GET .../api-keys and
-- GET .../audit-log read one page as an ordered index range scan that starts at the cursor's
-- position and stops after `limit` + 1 rows, never an OFFSET. Each index ends with the tie-breaker
-- (id), so a position is unique and a walk returns every row exactly once. Descending sorts scan
-- the same indexes backwards. The audit log's (organization_id, occurred_at, aggregate_id,
-- sequence) index of V1 already serves both of its orders.

-- sort=created_at / -created_at (the default order), no type filter
CREATE INDEX api_keys_organization_created ON api_keys (organization_id, created_at, id);
-- the same with type=secret or type=public (the portal's API Keys page lists secret keys)
CREATE INDEX api_keys_organization_type_created ON api_keys (organization_id, type, created_at, id);
-- sort=name / -name (the database's collation, as ORDER BY name compares)
CREATE INDEX api_keys_organization_name ON api_keys (organization_id, name, id);
-- a database's keys (database_id=), newest or oldest first: the Widget Integration panel
CREATE INDEX api_keys_database_created ON api_keys (database_id, created_at, id);
-- sort=last_used_at has no index: last_used_at lives in key_usage, which usage metering updates
-- in place many times a second (fillfactor 70, HOT updates); an index on it would make every one
-- of those updates a non-HOT update. That sort orders the organization's (filtered) keys per page.

-- The key that signs cursors (HMAC-SHA256), so that a cursor altered by a client, or one issued for
-- another organization, list, sort or filter, is refused (400) instead of read. Shared by every
-- read instance of this database; generated here from PostgreSQL's strong random source
-- (gen_random_uuid), never configured, never sent anywhere. Replacing it only invalidates open
-- cursors (clients start from the first page again).
CREATE TABLE paging_cursor_key (
    id     integer PRIMARY KEY CHECK (id = 1),
    secret text    NOT NULL
);
INSERT INTO paging_cursor_key (id, secret)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
