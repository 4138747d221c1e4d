-- Salted field hashes and record-level sharing. A record version is hashed over one salted hash per field, so that a party
-- holding only hashes (a proof of a version it may read in part) cannot recover a value by hashing
-- guesses. The salt is random per record version and kept with the data. A transaction's hashed
-- content then holds commitments to its operations and the hashes of its versions only; the versions
-- it wrote (type, id, version, hash) are kept beside it for its outcome.
--
-- Ledgers written before this format cannot be re-hashed (that would break their signed digests),
-- so a ledger that already has blocks is refused with a clear reason rather than half upgraded.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM ledger_block) THEN
        RAISE EXCEPTION 'this ledger was written by a development build before salted field hashes (format 2) and cannot be upgraded; start from an empty database (for the local stack: delete local-stack/work)';
    END IF;
END $$;

ALTER TABLE ledger_transaction ADD COLUMN versions JSONB NOT NULL;
ALTER TABLE record_version ADD COLUMN salt BYTEA NOT NULL CHECK (octet_length(salt) = 32);
ALTER TABLE record_current ADD COLUMN salt BYTEA NOT NULL CHECK (octet_length(salt) = 32);

-- Record-level sharing: what a record's owner shared of it beyond the schema's x-access defaults
-- ({"read": [...], "write": [...], "fields": {"taxId": {"read": [...]}}}), kept with every version
-- and hashed with it; a grant or a revocation is a version of its own. NULL: nothing shared.
ALTER TABLE record_version ADD COLUMN access JSONB;
ALTER TABLE record_current ADD COLUMN access JSONB;
ALTER TABLE record_version DROP CONSTRAINT record_version_operation_check;
ALTER TABLE record_version ADD CONSTRAINT record_version_operation_check
    CHECK (operation IN ('create', 'update', 'put', 'delete', 'grant', 'revoke'));
