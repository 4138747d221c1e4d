-- Read receipts: every read of a record's pii or confidential fields, who read which fields of
-- which record version, when and by which path, for the record's owning party to query.
CREATE TABLE read_receipt (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    read_at        TIMESTAMPTZ NOT NULL,
    reader_party   TEXT        NOT NULL,
    reader_kind    TEXT        NOT NULL,
    reader_name    TEXT        NOT NULL,
    -- get, version, history, list, proof
    read_path      TEXT        NOT NULL,
    record_type    TEXT        NOT NULL,
    record_id      TEXT        NOT NULL,
    version        INT         NOT NULL,
    owner_party    TEXT        NOT NULL,
    -- The classified fields the reader was shown.
    fields         TEXT[]      NOT NULL
);

CREATE INDEX read_receipt_owner ON read_receipt (owner_party, read_at);
CREATE INDEX read_receipt_record ON read_receipt (record_type, record_id, read_at);
