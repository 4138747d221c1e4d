-- Idempotency keys bound to their first request: a key reused with a different request is refused
-- (422) instead of being answered with the first outcome. The digest is SHA-256 of the request's
-- canonical JSON (what it writes, not its commit level); the records it names are kept so that a
-- purge of one of them drops the digest with the values it was computed from.
CREATE TABLE idempotency_request (
    party           TEXT        NOT NULL,
    idempotency_key TEXT        NOT NULL,
    request_digest  BYTEA       NOT NULL,
    records         TEXT[]      NOT NULL,
    first_seen_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (party, idempotency_key)
);
CREATE INDEX idempotency_request_records ON idempotency_request USING gin (records);
