-- Events the relay could not publish because the broker or the producer refused them for
-- themselves (too large, not serializable, an invalid record): publishing them again would fail the
-- same way, so the relay records them here and goes on with the others and the later blocks.
-- A row names the event (party, record, version, event id, block) and why, never its data: the
-- outbox's record version rebuilds it, and a purge of the record leaves no value behind here.
-- Open letters (resolved_at null) make the events health check report degraded.
CREATE TABLE event_dead_letter (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    party            TEXT        NOT NULL,
    record_type      TEXT        NOT NULL,
    record_id        TEXT        NOT NULL,
    record_version   INT         NOT NULL CHECK (record_version > 0),
    event_id         TEXT        NOT NULL,
    block_height     BIGINT      NOT NULL REFERENCES ledger_block (height),
    reason           TEXT        NOT NULL,
    dead_lettered_at TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    resolved_by      TEXT,
    -- An event refused again (its block published again after a restart) is not a second letter.
    UNIQUE (party, event_id)
);

CREATE INDEX event_dead_letter_block ON event_dead_letter (block_height);
CREATE INDEX event_dead_letter_open ON event_dead_letter (id) WHERE resolved_at IS NULL;
