-- Usage of API keys, projected exactly once from keyledger.key-usage: the counters and the consumer
-- positions (usage_offsets) are written in one transaction per poll. Rows are keyed by key id only,
-- so usage of a key that the key projection has not seen yet is kept; the read side joins api_keys.
-- These tables are not derived from keyledger.key-events, so a rebuild of the key projections
-- leaves them alone.
--
-- Every poll adds to rows that earlier polls wrote (the current minute, hour and day of each busy
-- key). fillfactor 70 leaves room on each page so those updates can be HOT (no new index
-- entries); the benchmark showed no difference above its noise, so this is a precaution.

CREATE TABLE key_usage (
    key_id          text PRIMARY KEY,
    organization_id text        NOT NULL,
    -- accepted requests ever
    usage_count     bigint      NOT NULL,
    -- rejected requests ever (rate limited, forbidden, unavailable)
    rejected_count  bigint      NOT NULL,
    -- occurred_at of the latest accepted request
    last_used_at    timestamptz
) WITH (fillfactor = 70);

-- Fixed UTC windows: bucket_start is occurred_at truncated to the minute, hour or day. requests
-- counts accepted requests, rejected the refused ones.
CREATE TABLE key_usage_minutes (
    key_id       text        NOT NULL,
    bucket_start timestamptz NOT NULL,
    requests     bigint      NOT NULL,
    rejected     bigint      NOT NULL,
    PRIMARY KEY (key_id, bucket_start)
) WITH (fillfactor = 70);
CREATE INDEX key_usage_minutes_start ON key_usage_minutes USING brin (bucket_start);

CREATE TABLE key_usage_hours (
    key_id       text        NOT NULL,
    bucket_start timestamptz NOT NULL,
    requests     bigint      NOT NULL,
    rejected     bigint      NOT NULL,
    PRIMARY KEY (key_id, bucket_start)
) WITH (fillfactor = 70);
CREATE INDEX key_usage_hours_start ON key_usage_hours USING brin (bucket_start);

CREATE TABLE key_usage_days (
    key_id       text        NOT NULL,
    bucket_start timestamptz NOT NULL,
    requests     bigint      NOT NULL,
    rejected     bigint      NOT NULL,
    PRIMARY KEY (key_id, bucket_start)
) WITH (fillfactor = 70);

-- Next offset per partition of keyledger.key-usage; the source of truth for the consumer position
-- (nothing is committed to Kafka).
CREATE TABLE usage_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
