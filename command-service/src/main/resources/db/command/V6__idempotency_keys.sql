-- Answers of management calls sent with an Idempotency-Key (package idempotency, decision record
-- 0013). A row is inserted when a request claims its key and completed in the same transaction as
-- the request's events, so a committed row always holds the answer of work that was committed, and
-- a request that fails or dies takes its claim with it. A second request with the same key waits
-- on the uncommitted row (the primary key), then replays it. Rows live 24 hours.
--
-- scope: SHA-256 of the caller (JWT subject and organization claim), so keys of two callers never
-- meet and no unbounded token value is indexed. body: the answer as JSON without any key
-- plaintext (the "key" member is removed before it is stored).

CREATE TABLE idempotency_key (
    scope           BYTEA        NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    -- SHA-256 of method, request path and canonical JSON body
    fingerprint     BYTEA        NOT NULL,
    status          INTEGER,
    location        TEXT,
    body            BYTEA,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, idempotency_key)
);

CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
