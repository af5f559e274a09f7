-- Command-side lookup tables, written by the subscribing processor "command-directory" in the
-- transaction that appends the events. They answer existence checks and build responses; they
-- are never exposed through a query API. No key plaintext or hash is stored here.

CREATE TABLE organization_directory (
    organization_id     VARCHAR(64)  PRIMARY KEY,
    name                TEXT         NOT NULL,
    plan                VARCHAR(32)  NOT NULL,
    requests_per_minute BIGINT       NOT NULL,
    requests_per_day    BIGINT       NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL
);

CREATE TABLE database_directory (
    database_id     VARCHAR(64)  PRIMARY KEY,
    organization_id VARCHAR(64)  NOT NULL,
    name            TEXT         NOT NULL,
    -- space-separated: a valid origin contains no space
    allowed_origins TEXT         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL
);

CREATE TABLE api_key_directory (
    key_id          VARCHAR(64)  PRIMARY KEY,
    organization_id VARCHAR(64)  NOT NULL,
    database_id     VARCHAR(64),
    type            VARCHAR(16)  NOT NULL,
    name            TEXT         NOT NULL,
    last_four       VARCHAR(4)   NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    created_by      TEXT,
    expires_at      TIMESTAMPTZ,
    replaces        VARCHAR(64)
);

-- Pending expiries of keys (expires_at on issue, end of the grace period on roll).
CREATE TABLE api_key_expiry (
    key_id     VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX api_key_expiry_due ON api_key_expiry (expires_at);
