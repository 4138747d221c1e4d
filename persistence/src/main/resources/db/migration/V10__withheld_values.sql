-- A network of nodes: a node holds the values of the fields its parties may read only. For the
-- others it keeps their salted hashes (withheld), and where it holds some fields of a version only,
-- the salts of those fields (field_salts) instead of the version's salt, from which the salts of
-- the fields it may not read would derive.
ALTER TABLE record_version ALTER COLUMN salt DROP NOT NULL;
ALTER TABLE record_version ADD COLUMN field_salts JSONB;
ALTER TABLE record_version ADD COLUMN withheld JSONB;
ALTER TABLE record_version ADD CONSTRAINT record_version_one_salt CHECK ((salt IS NULL) <> (field_salts IS NULL));

ALTER TABLE record_current ALTER COLUMN salt DROP NOT NULL;
ALTER TABLE record_current ADD COLUMN field_salts JSONB;
ALTER TABLE record_current ADD COLUMN withheld JSONB;
ALTER TABLE record_current ADD CONSTRAINT record_current_one_salt CHECK ((salt IS NULL) <> (field_salts IS NULL));
