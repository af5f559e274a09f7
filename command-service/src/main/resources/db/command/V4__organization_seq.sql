-- Every event's position in its organization's history (CONTRACT.md "Audit and history", decision
-- record 0009): seq, from 1, gap-free, assigned in the transaction that stores the event, so the
-- read side's audit hash chain is a pure function of the events and a rebuild or a second
-- read-side instance cannot change it.
--
-- A per-organization counter row is incremented by a BEFORE INSERT trigger on domainevententry.
-- The row lock it takes is held until the appending transaction ends, so a second transaction
-- appending to the same organization waits: seq follows commit order within an organization,
-- and a rolled-back append rolls its numbers back too (no gaps). Organizations never wait for one
-- another. The seq is stored in its own column and, for the relay, in the event's metadata
-- (organization_seq), which the relay already reads with every event.

CREATE TABLE organization_event_sequence (
    organization_id VARCHAR(255) PRIMARY KEY,
    last_seq        BIGINT       NOT NULL
);

ALTER TABLE domainevententry ADD COLUMN organizationid VARCHAR(255);
ALTER TABLE domainevententry ADD COLUMN organizationseq BIGINT;

-- The event's metadata (Axon's Jackson serializer: a JSON object) with organization_seq added.
CREATE FUNCTION keyledger_metadata_with_organization_seq(metadata BYTEA, seq BIGINT) RETURNS BYTEA
    LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(
        (coalesce(nullif(convert_from(metadata, 'UTF8'), '')::jsonb, '{}'::jsonb)
            || jsonb_build_object('organization_seq', seq))::text,
        'UTF8')
$$;

-- Existing events: numbered per organization in global index order (the order the relay read
-- them in), in one statement, before the trigger exists.
WITH numbered AS (
    SELECT globalindex,
           organization_id,
           row_number() OVER (PARTITION BY organization_id ORDER BY globalindex) AS seq
      FROM (SELECT globalindex, convert_from(payload, 'UTF8')::jsonb ->> 'organizationId' AS organization_id
              FROM domainevententry) events
)
UPDATE domainevententry d
   SET organizationid = n.organization_id,
       organizationseq = n.seq,
       metadata = keyledger_metadata_with_organization_seq(d.metadata, n.seq)
  FROM numbered n
 WHERE d.globalindex = n.globalindex;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM domainevententry WHERE organizationid IS NULL) THEN
        RAISE EXCEPTION 'an existing event has no organizationId in its payload; cannot number it';
    END IF;
END $$;

INSERT INTO organization_event_sequence (organization_id, last_seq)
SELECT organizationid, max(organizationseq) FROM domainevententry GROUP BY organizationid;

ALTER TABLE domainevententry ALTER COLUMN organizationid SET NOT NULL;
ALTER TABLE domainevententry ALTER COLUMN organizationseq SET NOT NULL;
ALTER TABLE domainevententry
    ADD CONSTRAINT domainevententry_organization_seq UNIQUE (organizationid, organizationseq);

CREATE FUNCTION keyledger_assign_organization_seq() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    organization TEXT;
    next_seq BIGINT;
BEGIN
    organization := convert_from(NEW.payload, 'UTF8')::jsonb ->> 'organizationId';
    IF organization IS NULL THEN
        -- Fail closed: an event outside any organization's history would break its chain.
        RAISE EXCEPTION 'event % of % has no organizationId', NEW.payloadtype, NEW.aggregateidentifier;
    END IF;
    INSERT INTO organization_event_sequence AS s (organization_id, last_seq) VALUES (organization, 1)
        ON CONFLICT (organization_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING s.last_seq INTO next_seq;
    NEW.organizationid := organization;
    NEW.organizationseq := next_seq;
    NEW.metadata := keyledger_metadata_with_organization_seq(NEW.metadata, next_seq);
    RETURN NEW;
END $$;

CREATE TRIGGER domainevententry_organization_seq
    BEFORE INSERT ON domainevententry
    FOR EACH ROW EXECUTE FUNCTION keyledger_assign_organization_seq();

-- The events already on keyledger.key-events were relayed without their seq. Dropping the relay's
-- token makes it relay every event again, now with organization_seq: the read side skips each as
-- a duplicate for its projections and takes the seq into the audit entry it already holds
-- (docs/audit.md, "Entries from before the chain").
DELETE FROM tokenentry WHERE processorname = 'kafka-relay';
