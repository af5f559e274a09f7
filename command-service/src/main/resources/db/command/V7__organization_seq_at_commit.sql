-- An event's seq in its organization's history (V4, decision record 0009) is now taken when its
-- transaction commits, not when the event row is inserted.
--
-- V4's BEFORE INSERT trigger took the organization's counter row lock at the insert and held it
-- until the transaction ended. Axon inserts the events and then runs the same-transaction handlers
-- (the command directories), and the controller's code runs before the commit, so a second
-- issuance in the same organization waited for all of that Java work of the first one: on the
-- 2-core benchmark machine 5 of 8 connections were seen waiting on that lock at once (docs/
-- benchmarks.md, "Key issuance").
--
-- Now the insert only names the organization (failing closed without one, as before) and stores a
-- placeholder seq, minus the event's global index: negative, unique, never a real seq. A
-- constraint trigger deferred to the commit takes the counter, writes the seq into the column
-- and the metadata (organization_seq), and the lock is held only for those statements and the
-- commit itself. Still from 1 and gap-free: the counter and the seq are written in the appending
-- transaction, and a rollback takes both back. Deferred triggers run in the order their rows were
-- inserted, so the events of one transaction keep their order; seq follows commit order within an
-- organization, as before. Nothing reads an uncommitted event: the relay reads only below the safe
-- horizon of V3, so it never meets a placeholder.

CREATE OR REPLACE FUNCTION keyledger_assign_organization_seq() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    organization TEXT;
BEGIN
    organization := convert_from(NEW.payload, 'UTF8')::jsonb ->> 'organizationId';
    IF organization IS NULL THEN
        -- Fail closed: an event outside any organization's history would break its chain.
        RAISE EXCEPTION 'event % of % has no organizationId', NEW.payloadtype, NEW.aggregateidentifier;
    END IF;
    NEW.organizationid := organization;
    -- Until the commit numbers it (keyledger_number_organization_event).
    NEW.organizationseq := -NEW.globalindex;
    RETURN NEW;
END $$;

CREATE FUNCTION keyledger_number_organization_event() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    next_seq BIGINT;
BEGIN
    INSERT INTO organization_event_sequence AS s (organization_id, last_seq) VALUES (NEW.organizationid, 1)
        ON CONFLICT (organization_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING s.last_seq INTO next_seq;
    UPDATE domainevententry
       SET organizationseq = next_seq,
           metadata = keyledger_metadata_with_organization_seq(metadata, next_seq)
     WHERE globalindex = NEW.globalindex;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER domainevententry_number_organization_seq
    AFTER INSERT ON domainevententry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION keyledger_number_organization_event();

-- Every stored row has a seq of V4 (>= 1); NOT VALID spares the upgrade a scan of the whole store
-- under lock, and every row written from now on is checked.
ALTER TABLE domainevententry
    ADD CONSTRAINT domainevententry_organization_seq_numbered
    CHECK (organizationseq > 0 OR organizationseq = -globalindex) NOT VALID;
