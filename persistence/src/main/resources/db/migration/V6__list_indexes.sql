-- Lists and their counts walk a type's live records in id order: an index of exactly those (with
-- the version a page joins on), so a count and a deep page are index-only scans that never read a row
-- of another type. Per-field indexes follow the network's schema (x-indexes) and are made by the
-- node at start-up (LedgerStore.ensureListIndexes).
CREATE INDEX record_current_live ON record_current (record_type, record_id) INCLUDE (version) WHERE NOT deleted;
-- Searching by the start of a record id (a loan number), ignoring case.
CREATE INDEX record_current_live_id_prefix ON record_current (record_type, lower(record_id) text_pattern_ops)
    WHERE NOT deleted;
-- The few records shared beyond the schema's rules, for lists of parties that see a type only in part.
CREATE INDEX record_current_shared ON record_current (record_type, record_id) WHERE access IS NOT NULL AND NOT deleted;
