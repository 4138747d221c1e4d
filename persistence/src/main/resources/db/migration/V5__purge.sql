-- Purge: the values of named fields are erased from every earlier version of a record (the
-- owning party's decision, itself a ledger transaction). A purged version keeps, for each erased
-- field, only its salted hash (field -> base64), so the version's hash, the chain and every proof
-- of other data stay valid; full verification reports such versions as purged.
ALTER TABLE record_version ADD COLUMN purged JSONB;
ALTER TABLE record_current ADD COLUMN purged JSONB;
ALTER TABLE record_version DROP CONSTRAINT record_version_operation_check;
ALTER TABLE record_version ADD CONSTRAINT record_version_operation_check
    CHECK (operation IN ('create', 'update', 'put', 'delete', 'grant', 'revoke', 'purge'));
