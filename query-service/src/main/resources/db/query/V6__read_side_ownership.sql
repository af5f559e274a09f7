-- Read side scale-out (decision 0007): one active instance per consumer role, chosen by a lease in
-- PostgreSQL. Any number of query-service instances may run against this database; each role
-- (the key-event projection with its changelog and rebuild, the usage metering) is held by one
-- of them at a time, and a standby takes it over once the holder's lease has expired.
--
-- read_side_leases says who holds a role and until when. The holder renews expires_at about
-- every second; a standby may take the role only when expires_at is in the past, and then bumps
-- epoch. Renewals touch only this table.
CREATE TABLE read_side_leases (
    role         text PRIMARY KEY,
    epoch        bigint      NOT NULL,
    -- keyledger.projection.instance-id of the holder (for people: metrics, health, logs)
    holder       text,
    -- random per process start: two instances with the same name never share a lease
    holder_token text,
    acquired_at  timestamptz,
    renewed_at   timestamptz,
    expires_at   timestamptz NOT NULL
);

-- read_side_fences is what every write transaction of a role checks: it reads its role's row
-- FOR SHARE and goes on only when the epoch is the one it holds. A take-over sets the new epoch
-- here in the same transaction as in read_side_leases, and that update waits for every write
-- transaction still holding the row FOR SHARE: a writer that lost its lease either committed
-- before the new holder read the positions, or it finds another epoch and rolls back.
CREATE TABLE read_side_fences (
    role  text PRIMARY KEY,
    epoch bigint NOT NULL
);

INSERT INTO read_side_leases (role, epoch, expires_at) VALUES
    ('projection', 0, '-infinity'),
    ('usage', 0, '-infinity');
INSERT INTO read_side_fences (role, epoch) VALUES
    ('projection', 0),
    ('usage', 0);
