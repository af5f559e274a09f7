-- Rows for the dashboards' SQL check. verify-observability.sh runs this inside a transaction that it
-- rolls back, then runs every dashboard query for the organization below and compares the rows with
-- sql-fixture-expectations.txt. Ages are relative to now(), so the check never goes stale.
-- organization: org_00000BSERVAB1L1TYF1XTVRE0

SET LOCAL TimeZone = 'UTC';

INSERT INTO organizations (id, name, plan, requests_per_minute, requests_per_day, created_at, last_sequence)
VALUES ('org_00000BSERVAB1L1TYF1XTVRE0', 'Observability fixture', 'pro', 600, 100000, now() - interval '400 days', 0);

INSERT INTO api_keys (id, organization_id, database_id, type, name, key_hash, public_key, last_four,
                      created_at, created_by, expires_at, replaces, replaced_by, status, revoked_at, revoked_by, last_sequence)
VALUES
  ('key_00000F1XTVRE0LDKEY00000000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture old key',
   repeat('a', 64), NULL, 'AAAA', now() - interval '120 days', 'fixture', NULL, NULL, NULL, 'active', NULL, NULL, 0),
  ('key_00000F1XTVRE0LDUNUSED00000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture old unused key',
   repeat('b', 64), NULL, 'BBBB', now() - interval '200 days', 'fixture', NULL, NULL, NULL, 'active', NULL, NULL, 0),
  ('key_00000F1XTVRENEVERUSED00000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture never used key',
   repeat('c', 64), NULL, 'CCCC', now() - interval '40 days', 'fixture', NULL, NULL, NULL, 'active', NULL, NULL, 0),
  ('key_00000F1XTVREFRESH000000000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture fresh key',
   repeat('d', 64), NULL, 'DDDD', now() - interval '2 days', 'fixture', NULL, NULL, NULL, 'active', NULL, NULL, 0),
  ('key_00000F1XTVRERV0KED00000000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture revoked old key',
   repeat('e', 64), NULL, 'EEEE', now() - interval '150 days', 'fixture', NULL, NULL, NULL, 'revoked',
   now() - interval '100 days', 'fixture', 0),
  ('key_00000F1XTVREBVSY0000000000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture busy key',
   repeat('f', 64), NULL, 'FFFF', now() - interval '10 days', 'fixture', NULL, NULL, NULL, 'active', NULL, NULL, 0),
  -- Past its expires_at, but the expiry event has not been projected yet: not usable, so not counted.
  ('key_00000F1XTVREEXP1RED0000000', 'org_00000BSERVAB1L1TYF1XTVRE0', NULL, 'secret', 'fixture expired old key',
   repeat('0', 64), NULL, '0000', now() - interval '100 days', 'fixture', now() - interval '1 hour', NULL, NULL, 'active', NULL, NULL, 0);

-- Usage as the usage projection writes it (query-service db/query/V2__usage.sql): key_usage holds
-- the totals and last use, key_usage_days the accepted (requests) and refused (rejected) requests
-- per UTC day. The old unused key was last used 45 days ago, outside the 30-day window.
INSERT INTO key_usage (key_id, organization_id, usage_count, rejected_count, last_used_at)
VALUES
  ('key_00000F1XTVRE0LDKEY00000000', 'org_00000BSERVAB1L1TYF1XTVRE0', 500, 3, now() - interval '1 day'),
  ('key_00000F1XTVRE0LDUNUSED00000', 'org_00000BSERVAB1L1TYF1XTVRE0', 10, 0, now() - interval '45 days'),
  ('key_00000F1XTVRERV0KED00000000', 'org_00000BSERVAB1L1TYF1XTVRE0', 7, 0, now() - interval '110 days'),
  ('key_00000F1XTVREBVSY0000000000', 'org_00000BSERVAB1L1TYF1XTVRE0', 5000, 12, now() - interval '1 hour');

INSERT INTO key_usage_days (key_id, bucket_start, requests, rejected)
VALUES
  ('key_00000F1XTVRE0LDKEY00000000', date_trunc('day', now() - interval '1 day'), 500, 3),
  ('key_00000F1XTVRE0LDUNUSED00000', date_trunc('day', now() - interval '45 days'), 10, 0),
  ('key_00000F1XTVRERV0KED00000000', date_trunc('day', now() - interval '110 days'), 7, 0),
  ('key_00000F1XTVREBVSY0000000000', date_trunc('day', now() - interval '3 days'), 1000, 0),
  ('key_00000F1XTVREBVSY0000000000', date_trunc('day', now() - interval '2 days'), 2000, 5),
  ('key_00000F1XTVREBVSY0000000000', date_trunc('day', now() - interval '1 day'), 2000, 7);
