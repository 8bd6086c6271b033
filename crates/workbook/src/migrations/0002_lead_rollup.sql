-- Leadplan workbook, schema 2: monthly lead rollups, kept up to date whenever leads change,
-- so a year of a million leads is compared with its plan in milliseconds.
CREATE TABLE lead_rollup (
    year                     INTEGER NOT NULL,
    month                    INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    source_id                INTEGER,
    product_line_id          INTEGER,
    owner                    TEXT,
    leads                    INTEGER NOT NULL,
    contacted                INTEGER NOT NULL,
    reached                  INTEGER NOT NULL,
    appointments             INTEGER NOT NULL,
    won                      INTEGER NOT NULL,
    lost                     INTEGER NOT NULL,
    lost_without_attempt     INTEGER NOT NULL,
    lost_below_min_attempts  INTEGER NOT NULL,
    contacted_within_sla     INTEGER NOT NULL,
    attempts_on_lost         INTEGER NOT NULL,
    revenue_cents            INTEGER NOT NULL,
    -- response-time histogram (leadplan_core::actuals::ResponseHistogram::encode)
    response_minutes         BLOB    NOT NULL
);
CREATE INDEX lead_rollup_by_month ON lead_rollup (year, month);

-- workbooks written before this schema have leads but no rollups: build them now
CREATE TABLE rollup_stale (id INTEGER PRIMARY KEY CHECK (id = 1));
INSERT INTO rollup_stale (id) SELECT 1 WHERE EXISTS (SELECT 1 FROM lead);
