-- Exactly once across an edge crash (decision 0008): an edge numbers its usage reports, and sends
-- the same reports (same sequence, same rows) again when it cannot tell whether the broker took
-- them, for example after a kill -9 between the broker's acknowledgement and its own note of it.
-- The usage projection keeps here, for every edge instance and partition of keyledger.key-usage,
-- the highest report sequence it applied, written in the same transaction as the counters and
-- usage_offsets, and skips any report at or below it. An edge sends the reports of a partition one
-- at a time and in sequence order, so on one partition an edge's sequences only grow.
CREATE TABLE usage_edge_sequences (
    edge_instance text        NOT NULL,
    partition     integer     NOT NULL,
    last_sequence bigint      NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (edge_instance, partition)
);
