-- Leadplan workbook, schema 3: the follow-up SLA gets a target share of leads contacted
-- within its first-contact time.
ALTER TABLE settings ADD COLUMN sla_within_target REAL NOT NULL DEFAULT 0.8
    CHECK (sla_within_target BETWEEN 0 AND 1);
