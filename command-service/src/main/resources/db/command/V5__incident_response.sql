-- Incident response (decision 0012): organization suspension, database deletion and the key
-- status that revoke-all selects by. Written by the subscribing processor "command-directory".

ALTER TABLE organization_directory
    ADD COLUMN status           VARCHAR(16) NOT NULL DEFAULT 'active',
    ADD COLUMN suspended_reason TEXT,
    ADD COLUMN suspended_at     TIMESTAMPTZ;

ALTER TABLE database_directory ADD COLUMN deleted_at TIMESTAMPTZ;

-- 'active' covers a rolled key inside its grace period (still usable, so still revocable).
ALTER TABLE api_key_directory ADD COLUMN status VARCHAR(16) NOT NULL DEFAULT 'active';

-- Keys revoked or expired before this migration: their last word is in the event store (the same
-- database), so the directory starts exact.
UPDATE api_key_directory d SET status = e.status
FROM (
    SELECT DISTINCT ON (aggregateidentifier) aggregateidentifier AS key_id,
           CASE WHEN payloadtype LIKE '%.ApiKeyRevokedEvent' THEN 'revoked' ELSE 'expired' END AS status
    FROM domainevententry
    WHERE payloadtype LIKE '%.ApiKeyRevokedEvent' OR payloadtype LIKE '%.ApiKeyExpiredEvent'
    ORDER BY aggregateidentifier, sequencenumber
) e
WHERE d.key_id = e.key_id;

CREATE INDEX api_key_directory_active_organization ON api_key_directory (organization_id, database_id)
    WHERE status = 'active';
