-- GET /api/v1/organizations/{org}/usage (docs/usage.md, "Organization usage"): the keys of one
-- organization in key-id order, each joined to its hour or day buckets by their primary key
-- (key_id, bucket_start). With this index the per-key page is an ordered index range scan that
-- stops after `limit` keys (keyset paging on key_id), and the totals read only the organization's
-- keys instead of every bucket in the range.
CREATE INDEX key_usage_organization ON key_usage (organization_id, key_id);
