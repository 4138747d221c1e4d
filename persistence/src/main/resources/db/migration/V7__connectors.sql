-- Connectors (camel-routes): each party's own systems kept in sync with the ledger. What a
-- connector must remember across restarts lives here: where it is in each stream, which record of
-- the system is which ledger record, and the records it could not move, for operators to replay.

-- A position per connector and stream: a Salesforce replay id per channel, a Dataverse delta link
-- per entity set, the ledger height up to which the outbound side has written. Saved only once what
-- came before it is committed (or dead-lettered), so a restart resumes without losing anything.
CREATE TABLE connector_cursor (
    connector_id TEXT        NOT NULL,
    stream       TEXT        NOT NULL,
    position     TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (connector_id, stream)
);

-- Which record of the system (its own id, e.g. a Salesforce record id) is which ledger record; the
-- sequence of the last change taken from it (a change that arrives again with a lower or equal
-- sequence, a replay after a restart, is stale and skipped); and the system's fields as the
-- connector last read or wrote them, so that only what the system changed is taken in, and only
-- what the ledger changed is written out.
CREATE TABLE connector_record_link (
    connector_id  TEXT        NOT NULL,
    object        TEXT        NOT NULL,
    external_id   TEXT        NOT NULL,
    record_type   TEXT        NOT NULL,
    record_id     TEXT        NOT NULL,
    last_sequence BIGINT,
    system_state  JSONB,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (connector_id, object, external_id)
);

CREATE INDEX connector_record_link_record ON connector_record_link (connector_id, record_type, record_id);

-- Records a connector could not move after its retries, with the reason, as they were: the
-- system's record (inbound) or the ledger's change (outbound). An open letter is replayed or
-- discarded by an operator of the connector's party; the same failure arriving again (a
-- redelivery) counts another attempt on the open letter instead of adding one.
CREATE TABLE connector_dead_letter (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connector_id   TEXT        NOT NULL,
    direction      TEXT        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    dedupe_key     TEXT        NOT NULL,
    object         TEXT,
    external_id    TEXT,
    record_type    TEXT,
    record_id      TEXT,
    payload        JSONB       NOT NULL,
    reason_code    TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    attempts       INT         NOT NULL CHECK (attempts > 0),
    status         TEXT        NOT NULL CHECK (status IN ('open', 'replayed', 'discarded')),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    resolved_by    TEXT
);

CREATE UNIQUE INDEX connector_dead_letter_open_key ON connector_dead_letter (connector_id, dedupe_key)
    WHERE status = 'open';
CREATE INDEX connector_dead_letter_open ON connector_dead_letter (connector_id, id) WHERE status = 'open';
