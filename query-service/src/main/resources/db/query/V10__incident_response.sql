-- Incident response (decision 0012): an organization's suspension and a database's deletion. The
-- active-key changelog publishes a tombstone for every key of a suspended organization or a deleted
-- database, and the entries again on reactivation; the read API leaves deleted databases out.

ALTER TABLE organizations
    ADD COLUMN status           text        NOT NULL DEFAULT 'active',
    ADD COLUMN suspended_reason text,
    ADD COLUMN suspended_at     timestamptz;

ALTER TABLE databases ADD COLUMN deleted_at timestamptz;
