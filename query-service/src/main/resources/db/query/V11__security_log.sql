-- The security log (decision record 0014, docs/query-service.md "Security log"): every refused call
-- (401, 403) of the management API and the read API, as the two services publish it on
-- keyledger.security-log. Not a projection of keyledger.key-events: a rebuild leaves it alone.
-- Bounded twice: rows older than keyledger.security-log.retention are purged, and beyond
-- keyledger.security-log.max-rows the oldest are deleted, both by SecurityLogRetention; every value
-- is bounded here as it is in the record (SecurityRefusal), so an insert cannot fail on length.
CREATE TABLE security_log (
    -- The refusal's own random id: records delivered twice are inserted once.
    id              uuid        PRIMARY KEY,
    occurred_at     timestamptz NOT NULL,
    service         text        NOT NULL CHECK (length(service) BETWEEN 1 AND 32),
    status          smallint    NOT NULL CHECK (status IN (401, 403)),
    reason          text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 40),
    method          text        NOT NULL CHECK (length(method) BETWEEN 1 AND 8),
    route           text        NOT NULL CHECK (length(route) BETWEEN 1 AND 200),
    subject         text        CHECK (length(subject) BETWEEN 1 AND 255),
    ip              text        CHECK (length(ip) BETWEEN 2 AND 45),
    organization_id text        CHECK (length(organization_id) BETWEEN 5 AND 64)
);

-- GET /api/v1/security-log pages newest or oldest first on (occurred_at, id); the purges walk it
-- from the old end; the burst gauge reads its last minutes.
CREATE INDEX security_log_occurred ON security_log (occurred_at, id);
-- The same with organization_id= (the filter of the API and the portal page).
CREATE INDEX security_log_organization_occurred ON security_log (organization_id, occurred_at, id);
