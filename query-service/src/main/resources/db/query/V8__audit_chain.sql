-- The audit hash chain (CONTRACT.md "Audit and history", docs/audit.md, decision record 0009).
--
-- seq is the event's position in its organization's history, assigned by the command side when it
-- stored the event and carried in the envelope (organization_seq); prev_hash and hash are computed
-- here from the entry alone, in seq order, as soon as an organization's entries are contiguous.
-- Entries projected before this change have no seq yet: the command side's V4 numbers the stored
-- events and relays every one of them again, and the projection fills in the seq of the entry it
-- already holds when that duplicate arrives (docs/audit.md, "Entries from before the chain").

ALTER TABLE audit_log ADD COLUMN seq bigint;
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;

-- The chain's order and the export's reads; unique, so no two entries of an organization can
-- claim one position (NULLs, entries not numbered yet, do not collide).
CREATE UNIQUE INDEX audit_log_organization_seq ON audit_log (organization_id, seq);

-- The newest chained entry of every organization and what the checkpoint publisher last sent.
-- Not a projection table (a rebuild reproduces the same hashes, so it neither copies nor clears
-- it): the chain only moves it forward, the publisher only records what the broker acknowledged.
CREATE TABLE audit_chain_heads (
    organization_id text        PRIMARY KEY,
    seq             bigint      NOT NULL,
    hash            text        NOT NULL,
    updated_at      timestamptz NOT NULL,
    published_seq   bigint,
    published_at    timestamptz
);
