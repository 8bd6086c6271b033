-- Leadplan workbook, schema 4: leads are stored by their external id (one B-tree instead of
-- a table and a unique index), and without an index on the import that last touched them
-- (only undoing an import looks for that, and a scan is fast enough for it). Together they
-- halve the work of writing a large import.
CREATE TABLE lead_v4 (
    external_id       TEXT    PRIMARY KEY,
    created_at        INTEGER NOT NULL,
    created_month     INTEGER NOT NULL,
    source_id         INTEGER REFERENCES source (id) ON DELETE SET NULL,
    product_line_id   INTEGER REFERENCES product_line (id) ON DELETE SET NULL,
    first_attempt_at  INTEGER,
    first_two_way_at  INTEGER,
    attempts          INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    stage             TEXT    NOT NULL CHECK (stage IN ('new', 'contacted', 'appointment', 'offer', 'won', 'lost')),
    lost_reason       TEXT,
    appointment_at    INTEGER,
    won_at            INTEGER,
    value_cents       INTEGER,
    owner             TEXT,
    import_id         INTEGER REFERENCES import (id) ON DELETE SET NULL
) WITHOUT ROWID;
INSERT INTO lead_v4
    SELECT external_id, created_at, created_month, source_id, product_line_id, first_attempt_at,
           first_two_way_at, attempts, stage, lost_reason, appointment_at, won_at, value_cents,
           owner, import_id
    FROM lead;
DROP TABLE lead;
ALTER TABLE lead_v4 RENAME TO lead;
CREATE INDEX lead_by_month ON lead (created_month, source_id);
