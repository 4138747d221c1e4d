-- The identity of this MeshLedger node, created on its first start and kept for its
-- whole life: later stages sign ledger digests in its name.
CREATE TABLE node_identity (
    -- At most one row: a node has exactly one identity.
    singleton   BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    node_id     UUID        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Every start of the node, so operators can see restarts and upgrades.
CREATE TABLE node_start (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_id          UUID        NOT NULL REFERENCES node_identity (node_id),
    started_at       TIMESTAMPTZ NOT NULL,
    software_version TEXT        NOT NULL
);

CREATE INDEX node_start_started_at ON node_start (started_at DESC);
