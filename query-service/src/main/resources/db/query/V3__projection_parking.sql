-- Events of keyledger.key-events the projection could not apply, set aside so that their partition
-- moves on (docs/runbooks/projection-event-parked.md). payload is the record value as it came;
-- tombstone_published says whether a revocation or expiry still reached keyledger.active-keys.
CREATE TABLE projection_parked_events (
    topic               text        NOT NULL,
    partition           integer     NOT NULL,
    "offset"            bigint      NOT NULL,
    aggregate_id        text,
    sequence            bigint,
    type                text,
    error               text        NOT NULL,
    payload             bytea,
    tombstone_published boolean     NOT NULL DEFAULT false,
    parked_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);

-- The rebuild's state, shared by every instance: POST /api/v1/admin/rebuild sets rebuilding only
-- where it is false (one rebuild at a time across instances), the projecting instance reports
-- progress here and GET reads it from any instance.
ALTER TABLE projection_state
    ADD COLUMN state             text             NOT NULL DEFAULT 'idle',
    ADD COLUMN reason            text,
    ADD COLUMN percent           double precision NOT NULL DEFAULT 0,
    ADD COLUMN events_per_second double precision NOT NULL DEFAULT 0,
    ADD COLUMN updated_at        timestamptz;
UPDATE projection_state SET state = CASE WHEN rebuilding THEN 'running' ELSE 'idle' END;

-- A rebuild no longer truncates the live tables (it replays into shadow tables and swaps them in),
-- and it never tombstones a key only because its events are missing.
DROP TABLE rebuild_retired_hashes;
