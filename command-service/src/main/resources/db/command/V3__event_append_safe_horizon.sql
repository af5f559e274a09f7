-- Tracking processors (the Kafka relay) must never pass a global index that an open transaction
-- may still commit (decision record 0003). An identity column cannot say which indexes are held by
-- transactions in flight, so global_index now comes from keyledger_next_global_index(), which,
-- before it takes an index, publishes a floor for its transaction as a shared advisory lock
-- (visible to every session at once, released at commit or rollback). Readers call
-- keyledger_safe_global_index() and read only up to the value it returns.

ALTER TABLE domainevententry ALTER COLUMN globalindex DROP IDENTITY;

CREATE SEQUENCE domainevententry_global_index AS BIGINT START WITH 1 INCREMENT BY 1 CACHE 1
    OWNED BY domainevententry.globalindex;

SELECT setval('domainevententry_global_index', (SELECT coalesce(max(globalindex), 0) + 1 FROM domainevententry), false);

-- The last index handed out (nextval's next value is greater). Not transactional: a sequence shows
-- every session's nextval at once.
CREATE FUNCTION keyledger_last_global_index() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM domainevententry_global_index
$$;

-- Advisory lock keys (int4, int4) for "a transaction that appends events, whose indexes are all
-- above FLOOR": key1 = 1263271936 ('KL' << 16) + FLOOR / 2^31, key2 = FLOOR mod 2^31.
CREATE FUNCTION keyledger_next_global_index() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    floor_index BIGINT;
BEGIN
    -- One lock per transaction: its first floor is below every index it takes later.
    IF coalesce(current_setting('keyledger.append_floor', true), '') = '' THEN
        floor_index := keyledger_last_global_index();
        PERFORM pg_advisory_xact_lock_shared(
            1263271936 + (floor_index / 2147483648)::INTEGER, (floor_index % 2147483648)::INTEGER);
        PERFORM set_config('keyledger.append_floor', floor_index::TEXT, true);
    END IF;
    -- Taken after the lock is visible: a reader that did not see the lock gets an index above
    -- everything it could read.
    RETURN nextval('domainevententry_global_index');
END $$;

ALTER TABLE domainevententry ALTER COLUMN globalindex SET DEFAULT keyledger_next_global_index();

-- The highest global index below which every event is either committed or gone for good. Read the
-- sequence first, then the locks; run it as its own statement BEFORE the statement that reads the
-- events (READ COMMITTED takes that statement's snapshot later, so an appender whose lock is gone
-- is visible to it). An appender that locks after this call takes an index above the sequence
-- value read here.
CREATE FUNCTION keyledger_safe_global_index() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_index BIGINT;
    lowest_floor BIGINT;
BEGIN
    last_index := keyledger_last_global_index();
    SELECT min((l.classid::BIGINT - 1263271936) * 2147483648 + l.objid::BIGINT) INTO lowest_floor
      FROM pg_locks l
     WHERE l.locktype = 'advisory'
       AND l.objsubid = 2
       AND l.classid::BIGINT BETWEEN 1263271936 AND 1263271936 + 65535
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
    RETURN least(last_index, coalesce(lowest_floor, last_index));
END $$;
