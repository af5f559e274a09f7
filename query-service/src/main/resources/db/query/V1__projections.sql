-- Read models of keyledger.key-events. Every row carries the sequence number of the last event of
-- its aggregate that was applied: that column is the deduplication log (per-aggregate order is
-- guaranteed, so an event with a sequence number at or below it is a redelivery).

CREATE TABLE organizations (
    id                  text PRIMARY KEY,
    name                text        NOT NULL,
    plan                text        NOT NULL,
    requests_per_minute bigint      NOT NULL,
    requests_per_day    bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    last_sequence       bigint      NOT NULL
);

CREATE TABLE databases (
    id              text PRIMARY KEY,
    organization_id text        NOT NULL,
    name            text        NOT NULL,
    allowed_origins text[]      NOT NULL,
    created_at      timestamptz NOT NULL,
    last_sequence   bigint      NOT NULL
);
CREATE INDEX databases_organization ON databases (organization_id);

-- key_hash is the hex SHA-256 of the key (never the plaintext of a secret key); public_key is the
-- plaintext of a public key, which is public by design.
CREATE TABLE api_keys (
    id              text PRIMARY KEY,
    organization_id text        NOT NULL,
    database_id     text,
    type            text        NOT NULL,
    name            text        NOT NULL,
    key_hash        text        NOT NULL,
    public_key      text,
    last_four       text        NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text,
    expires_at      timestamptz,
    replaces        text,
    replaced_by     text,
    status          text        NOT NULL,
    revoked_at      timestamptz,
    revoked_by      text,
    last_sequence   bigint      NOT NULL
);
CREATE INDEX api_keys_organization ON api_keys (organization_id, id);
CREATE INDEX api_keys_database ON api_keys (database_id);
CREATE INDEX api_keys_hash ON api_keys (key_hash);

-- One row per applied event of every aggregate: the per-key history and the organization audit log.
CREATE TABLE audit_log (
    aggregate_id     text        NOT NULL,
    sequence         bigint      NOT NULL,
    event_id         text        NOT NULL,
    organization_id  text        NOT NULL,
    aggregate_type   text        NOT NULL,
    type             text        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    actor_subject    text,
    actor_ip         text,
    actor_user_agent text,
    details          text        NOT NULL,
    PRIMARY KEY (aggregate_id, sequence)
);
CREATE INDEX audit_log_organization_time ON audit_log (organization_id, occurred_at, aggregate_id, sequence);

-- Consumer positions, written in the same transaction as the projections they produced.
CREATE TABLE projection_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Rebuild bookkeeping: survives a crash so that a restarted service finishes the rebuild.
CREATE TABLE projection_state (
    id         integer PRIMARY KEY CHECK (id = 1),
    rebuilding boolean     NOT NULL,
    started_at timestamptz
);
INSERT INTO projection_state (id, rebuilding) VALUES (1, false);

-- Hashes that were on keyledger.active-keys before a rebuild; the rebuild tombstones those that are
-- not active afterwards.
CREATE TABLE rebuild_retired_hashes (
    key_hash text PRIMARY KEY
);
