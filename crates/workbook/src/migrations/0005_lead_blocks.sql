-- Leadplan workbook, schema 5: leads are stored in blocks of up to 4,096 leads created in
-- one calendar month (the format is described in crates/workbook/src/lead_block.rs), a row
-- per block instead of a row per lead: a million leads are a few hundred rows, written in a
-- fraction of the time. An import that changes leads replaces their blocks by changed
-- copies and keeps the old ones, marked, so that undoing it puts them back (this replaces
-- lead_history). The upgrade's own code moves the leads of schema 4 into blocks and then
-- drops the tables lead and lead_history.
CREATE TABLE lead_block (
    id            INTEGER PRIMARY KEY,
    -- calendar year * 100 + month in which every lead of the block was created
    created_month INTEGER NOT NULL,
    leads         INTEGER NOT NULL CHECK (leads > 0),
    -- the import that wrote the block; NULL for leads added otherwise (demo data)
    import_id     INTEGER REFERENCES import (id),
    -- the import that replaced the block by a changed copy; NULL while it is in effect
    replaced_by   INTEGER REFERENCES import (id),
    data          BLOB    NOT NULL
);
CREATE INDEX lead_block_by_month ON lead_block (created_month) WHERE replaced_by IS NULL;
