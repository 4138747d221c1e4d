-- The ledger: hash-chained blocks of transactions, every version of every record, the current
-- state, and the outbox. A block and everything in it is written in one database
-- transaction (ejb-ledger's BlockApplier), so a block is there whole or not at all.

CREATE TABLE ledger_block (
    height        BIGINT      PRIMARY KEY CHECK (height > 0),
    -- What was hashed (canonical JSON of network, height, previous hash, Merkle root, count, time).
    header        JSONB       NOT NULL,
    previous_hash BYTEA       NOT NULL,
    merkle_root   BYTEA       NOT NULL,
    tx_count      INT         NOT NULL CHECK (tx_count > 0),
    block_time    TIMESTAMPTZ NOT NULL,
    hash          BYTEA       NOT NULL UNIQUE,
    -- RFC 6962 root over the hashes of blocks 1..height: the ledger's digest at this height.
    ledger_root   BYTEA       NOT NULL
);

CREATE TABLE ledger_transaction (
    tx_id            UUID        PRIMARY KEY,
    block_height     BIGINT      NOT NULL REFERENCES ledger_block (height),
    position         INT         NOT NULL CHECK (position >= 0),
    party            TEXT        NOT NULL,
    principal_kind   TEXT        NOT NULL,
    principal_name   TEXT        NOT NULL,
    idempotency_key  TEXT,
    status           TEXT        NOT NULL CHECK (status IN ('committed', 'rejected')),
    reason_code      TEXT,
    reason           TEXT,
    recorded_at      TIMESTAMPTZ NOT NULL,
    valid_from       TIMESTAMPTZ,
    source_system    TEXT,
    source_reference TEXT,
    -- What was hashed: the operations, the principal, the outcome and the resulting version hashes.
    content          JSONB       NOT NULL,
    hash             BYTEA       NOT NULL,
    UNIQUE (block_height, position)
);

-- A repeated submission with the same key returns the first outcome.
CREATE UNIQUE INDEX ledger_transaction_idempotency
    ON ledger_transaction (party, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE record_version (
    record_type  TEXT        NOT NULL,
    record_id    TEXT        NOT NULL,
    version      INT         NOT NULL CHECK (version > 0),
    operation    TEXT        NOT NULL CHECK (operation IN ('create', 'update', 'put', 'delete')),
    -- NULL for a deletion.
    state        JSONB,
    owner_party  TEXT        NOT NULL,
    hash         BYTEA       NOT NULL,
    tx_id        UUID        NOT NULL REFERENCES ledger_transaction (tx_id),
    block_height BIGINT      NOT NULL,
    -- The two time axes: when the ledger recorded it (its block's time) and when it is valid in business terms.
    recorded_at  TIMESTAMPTZ NOT NULL,
    valid_from   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_type, record_id, version)
);

CREATE INDEX record_version_block ON record_version (block_height);

-- The latest version of each record (a deleted one stays, marked, so that versions keep counting).
CREATE TABLE record_current (
    record_type  TEXT        NOT NULL,
    record_id    TEXT        NOT NULL,
    version      INT         NOT NULL,
    operation    TEXT        NOT NULL,
    deleted      BOOLEAN     NOT NULL,
    state        JSONB,
    owner_party  TEXT        NOT NULL,
    hash         BYTEA       NOT NULL,
    tx_id        UUID        NOT NULL,
    block_height BIGINT      NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    valid_from   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_type, record_id)
);

-- Filters on indexed fields are containment queries (state @> '{"status": "delinquent"}').
CREATE INDEX record_current_state ON record_current USING GIN (state jsonb_path_ops);

-- The outbox: one row per block, written with it, whose record versions are the events to
-- publish (each event's id derives from its transaction and version, so it is the same on every
-- node and every replay). The relay marks a block published once all its events are out.
CREATE TABLE outbox_block (
    block_height BIGINT      PRIMARY KEY REFERENCES ledger_block (height),
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);

CREATE INDEX outbox_block_unpublished ON outbox_block (block_height) WHERE published_at IS NULL;

-- The node's Ed25519 public key, so that a replaced key file is noticed.
ALTER TABLE node_identity ADD COLUMN signing_key BYTEA;
