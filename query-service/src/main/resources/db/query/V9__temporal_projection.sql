-- Point in time (decision 0011, docs/query-service.md "Point in time"): which keys were usable at an
-- instant T, each as it was then, with its organization's plan limits and its database's allowed
-- origins at T. Every applied event of an aggregate closes the aggregate's open version and opens
-- a new one: a version is the aggregate's state after one event (its sequence number), valid over
-- the half-open interval [valid_from, valid_to) of event time. The open version has valid_to
-- 'infinity'. Versions of one aggregate are gap-free and never overlap: valid_from is clamped so
-- that it never goes below the previous version's (an event stamped earlier than its predecessor
-- by a skewed clock then gets an empty interval instead of overlapping it). Written by the same
-- projection thread and transaction as the other read models, and rebuilt with them.

-- GiST over (organization_id, range) needs the btree operator classes for text (a trusted
-- extension: the database owner may create it without being a superuser).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One row per applied event of an API key: the key's state after that event.
CREATE TABLE api_key_versions (
    key_id          text        NOT NULL,
    sequence        bigint      NOT NULL,
    organization_id text        NOT NULL,
    database_id     text,
    type            text        NOT NULL,
    name            text        NOT NULL,
    public_key      text,
    last_four       text        NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text,
    expires_at      timestamptz,
    replaces        text,
    replaced_by     text,
    status          text        NOT NULL,
    valid_from      timestamptz NOT NULL,
    valid_to        timestamptz NOT NULL,
    PRIMARY KEY (key_id, sequence),
    CHECK (valid_from <= valid_to)
);
-- "Usable at T": an active version whose interval, cut at the key's expiry, contains T. The
-- expression is repeated verbatim by the reader (TemporalKeyReader.USABLE) so the planner uses it;
-- GREATEST keeps the lower bound at or below the upper one when an expiry lies before valid_from.
CREATE INDEX api_key_versions_usable ON api_key_versions USING gist (
    organization_id,
    tstzrange(valid_from, GREATEST(valid_from, LEAST(valid_to, expires_at)), '[)')
) WHERE status = 'active';
-- The one open version of a key, which the next event of the key closes.
CREATE INDEX api_key_versions_open ON api_key_versions (key_id) WHERE valid_to = 'infinity';

-- One row per applied event of an organization: its plan, limits and status (active, suspended)
-- after that event. The keys of an organization suspended at T were not usable at T.
CREATE TABLE organization_versions (
    organization_id     text        NOT NULL,
    sequence            bigint      NOT NULL,
    name                text        NOT NULL,
    plan                text        NOT NULL,
    requests_per_minute bigint      NOT NULL,
    requests_per_day    bigint      NOT NULL,
    status              text        NOT NULL DEFAULT 'active',
    valid_from          timestamptz NOT NULL,
    valid_to            timestamptz NOT NULL,
    PRIMARY KEY (organization_id, sequence),
    CHECK (valid_from <= valid_to)
);
-- The version at T: the last one with valid_from <= T (a backward index scan that stops at once).
CREATE INDEX organization_versions_at ON organization_versions (organization_id, valid_from, valid_to);

-- One row per applied event of a database: its name and allowed origins after that event.
CREATE TABLE database_versions (
    database_id     text        NOT NULL,
    sequence        bigint      NOT NULL,
    organization_id text        NOT NULL,
    name            text        NOT NULL,
    allowed_origins text[]      NOT NULL,
    valid_from      timestamptz NOT NULL,
    valid_to        timestamptz NOT NULL,
    PRIMARY KEY (database_id, sequence),
    CHECK (valid_from <= valid_to)
);
CREATE INDEX database_versions_at ON database_versions (database_id, valid_from, valid_to);

-- An installation upgraded to this version has projected events that these tables have not seen:
-- a rebuild (replay from offset 0 into shadow tables, swapped in while the live projection keeps
-- serving) fills them from the event history. A fresh installation has nothing to replay.
UPDATE projection_state
SET rebuilding = true, state = 'running', reason = NULL, started_at = now(), percent = 0,
    events_per_second = 0, updated_at = now()
WHERE id = 1 AND NOT rebuilding AND EXISTS (SELECT 1 FROM organizations);
