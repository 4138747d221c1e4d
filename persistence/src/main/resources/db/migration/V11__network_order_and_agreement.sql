-- A node of a network of nodes: where it is in the network's order log (one row), the batches its
-- blocks took (so that a batch read twice is taken once), the checkpoints of every node (its own
-- and the others'), and the evidence it holds against nodes (divergence, equivocation, views that
-- do not match their commitments).
CREATE TABLE order_position (
    singleton         BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    cluster_id        TEXT        NOT NULL,
    topic_id          TEXT        NOT NULL,
    next_height       BIGINT      NOT NULL,
    last_block_time   TIMESTAMPTZ NOT NULL,
    last_offset       BIGINT      NOT NULL,
    last_value_sha256 BYTEA       NOT NULL
);

CREATE TABLE order_batch (
    node       TEXT   NOT NULL,
    batch_id   UUID   NOT NULL,
    cut_height BIGINT NOT NULL,
    PRIMARY KEY (node, batch_id)
);

CREATE TABLE node_checkpoint (
    node        TEXT        NOT NULL,
    height      BIGINT      NOT NULL,
    statement   JSONB       NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (node, height)
);

CREATE TABLE network_evidence (
    id          BIGSERIAL   PRIMARY KEY,
    kind        TEXT        NOT NULL CHECK (kind IN ('divergence', 'equivocation', 'view-mismatch', 'skipped-message')),
    node        TEXT        NOT NULL,
    height      BIGINT,
    detail      TEXT        NOT NULL,
    statements  JSONB,
    detected_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX network_evidence_kind ON network_evidence (kind, detected_at);
