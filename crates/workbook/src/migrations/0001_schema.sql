-- Leadplan workbook, schema 1: the whole domain model of PRODUCT.md.
-- Money is integer cents; rates are fractions (0.13); timestamps are UTC seconds since
-- 1970; dates are ISO text (YYYY-MM-DD). Plan months are 0..11 from the first month of
-- the fiscal year; actual data (spend, feedback) uses calendar year and month 1..12.

CREATE TABLE settings (
    id                        INTEGER PRIMARY KEY CHECK (id = 1),
    organisation              TEXT    NOT NULL,
    currency                  TEXT    NOT NULL DEFAULT 'EUR',
    locale                    TEXT    NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de', 'nl')),
    fiscal_year_start_month   INTEGER NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    conversion_floor          REAL    NOT NULL DEFAULT 0.13 CHECK (conversion_floor BETWEEN 0 AND 1),
    sla_first_contact_minutes INTEGER NOT NULL DEFAULT 60 CHECK (sla_first_contact_minutes > 0),
    sla_min_attempts          INTEGER NOT NULL DEFAULT 4 CHECK (sla_min_attempts >= 0),
    sla_two_way_target        REAL    NOT NULL DEFAULT 0.6 CHECK (sla_two_way_target BETWEEN 0 AND 1),
    -- the SLA is agreed by both sides against its exact values (see glossary_term)
    sla_marketing_agreed_by   TEXT,
    sla_marketing_agreed_at   INTEGER,
    sla_sales_agreed_by       TEXT,
    sla_sales_agreed_at       INTEGER,
    cohort_maturity_days      INTEGER NOT NULL DEFAULT 60 CHECK (cohort_maturity_days >= 0)
);

CREATE TABLE source (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    kind                  TEXT    NOT NULL CHECK (kind IN ('owned', 'paid', 'partner', 'marketplace', 'offline')),
    cost_per_lead_cents   INTEGER NOT NULL DEFAULT 0 CHECK (cost_per_lead_cents >= 0),
    fixed_monthly_cents   INTEGER NOT NULL DEFAULT 0 CHECK (fixed_monthly_cents >= 0),
    contact_rate          REAL    NOT NULL DEFAULT 1 CHECK (contact_rate BETWEEN 0 AND 1),
    appointment_rate      REAL    NOT NULL DEFAULT 1 CHECK (appointment_rate BETWEEN 0 AND 1),
    close_rate            REAL    NOT NULL DEFAULT 1 CHECK (close_rate BETWEEN 0 AND 1),
    direct_conversion     REAL             CHECK (direct_conversion BETWEEN 0 AND 1),
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position              INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE product_line (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    segment             TEXT    NOT NULL DEFAULT '',
    avg_revenue_cents   INTEGER NOT NULL DEFAULT 0 CHECK (avg_revenue_cents >= 0),
    avg_margin_cents    INTEGER NOT NULL DEFAULT 0,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE plan_version (
    id                      INTEGER PRIMARY KEY,
    year                    INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    name                    TEXT    NOT NULL,
    status                  TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'agreed', 'archived')),
    baseline                INTEGER NOT NULL DEFAULT 0 CHECK (baseline IN (0, 1)),
    created_from            INTEGER REFERENCES plan_version (id) ON DELETE SET NULL,
    created_at              INTEGER NOT NULL,
    created_by              TEXT    NOT NULL DEFAULT '',
    annual_budget_cap_cents INTEGER CHECK (annual_budget_cap_cents >= 0),
    notes                   TEXT    NOT NULL DEFAULT '',
    -- 12 seasonality indices as entered, JSON array of numbers
    seasonality             TEXT    NOT NULL DEFAULT '[1,1,1,1,1,1,1,1,1,1,1,1]',
    UNIQUE (year, name)
);
-- at most one baseline per year
CREATE UNIQUE INDEX plan_version_one_baseline ON plan_version (year) WHERE baseline = 1;

-- a source's planning assumptions within one version (copied from the source's defaults)
CREATE TABLE plan_source (
    plan_version_id     INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    source_id           INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    cost_per_lead_cents INTEGER NOT NULL CHECK (cost_per_lead_cents >= 0),
    fixed_monthly_cents INTEGER NOT NULL CHECK (fixed_monthly_cents >= 0),
    contact_rate        REAL    NOT NULL CHECK (contact_rate BETWEEN 0 AND 1),
    appointment_rate    REAL    NOT NULL CHECK (appointment_rate BETWEEN 0 AND 1),
    close_rate          REAL    NOT NULL CHECK (close_rate BETWEEN 0 AND 1),
    direct_conversion   REAL             CHECK (direct_conversion BETWEEN 0 AND 1),
    PRIMARY KEY (plan_version_id, source_id)
) WITHOUT ROWID;

-- annual sales target per product line within one version
CREATE TABLE plan_product_line (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    product_line_id INTEGER NOT NULL REFERENCES product_line (id) ON DELETE CASCADE,
    annual_units    REAL    NOT NULL DEFAULT 0 CHECK (annual_units >= 0),
    PRIMARY KEY (plan_version_id, product_line_id)
) WITHOUT ROWID;

-- a monthly target entered directly (overrides annual × seasonality for that month)
CREATE TABLE sales_target (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    product_line_id INTEGER NOT NULL REFERENCES product_line (id) ON DELETE CASCADE,
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 11),
    units           REAL    NOT NULL CHECK (units >= 0),
    PRIMARY KEY (plan_version_id, product_line_id, month)
) WITHOUT ROWID;

-- units expected to be available (opening stock plus deliveries)
CREATE TABLE stock (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    product_line_id INTEGER NOT NULL REFERENCES product_line (id) ON DELETE CASCADE,
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 11),
    units           REAL    NOT NULL CHECK (units >= 0),
    PRIMARY KEY (plan_version_id, product_line_id, month)
) WITHOUT ROWID;

CREATE TABLE launch (
    id                  INTEGER PRIMARY KEY,
    plan_version_id     INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    product_line_id     INTEGER NOT NULL REFERENCES product_line (id) ON DELETE CASCADE,
    month               INTEGER NOT NULL CHECK (month BETWEEN 0 AND 11),
    uplift              REAL    NOT NULL CHECK (uplift >= 0),
    duration_months     INTEGER NOT NULL CHECK (duration_months BETWEEN 1 AND 12),
    prelaunch_months    INTEGER NOT NULL DEFAULT 0 CHECK (prelaunch_months BETWEEN 0 AND 12),
    extra_budget_cents  INTEGER NOT NULL DEFAULT 0 CHECK (extra_budget_cents >= 0)
);
CREATE INDEX launch_by_version ON launch (plan_version_id);

-- share of leads expected from each source; product_line_id NULL = every product line
CREATE TABLE channel_mix (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 11),
    source_id       INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    product_line_id INTEGER REFERENCES product_line (id) ON DELETE CASCADE,
    share           REAL    NOT NULL CHECK (share BETWEEN 0 AND 1)
);
CREATE UNIQUE INDEX channel_mix_key
    ON channel_mix (plan_version_id, month, source_id, IFNULL(product_line_id, 0));

CREATE TABLE budget (
    plan_version_id INTEGER NOT NULL REFERENCES plan_version (id) ON DELETE CASCADE,
    source_id       INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 11),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (plan_version_id, source_id, month)
) WITHOUT ROWID;

CREATE TABLE import (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT    NOT NULL,
    format          TEXT    NOT NULL,
    sha256          TEXT    NOT NULL,
    imported_at     INTEGER NOT NULL,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    rows_imported   INTEGER NOT NULL DEFAULT 0,
    rows_rejected   INTEGER NOT NULL DEFAULT 0,
    duplicates      INTEGER NOT NULL DEFAULT 0,
    leads_new       INTEGER NOT NULL DEFAULT 0,
    leads_updated   INTEGER NOT NULL DEFAULT 0,
    leads_unchanged INTEGER NOT NULL DEFAULT 0,
    -- the data-quality report (rejected rows with line and reason, findings) as JSON
    report          TEXT    NOT NULL DEFAULT '{}',
    undone_at       INTEGER
);

CREATE TABLE lead (
    id                INTEGER PRIMARY KEY,
    external_id       TEXT    NOT NULL UNIQUE,
    created_at        INTEGER NOT NULL,
    -- calendar year * 100 + month of created_at, for grouping by cohort
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
);
CREATE INDEX lead_by_month ON lead (created_month, source_id);
CREATE INDEX lead_by_import ON lead (import_id);

-- the state a lead had before an import changed it, so the import can be undone
CREATE TABLE lead_history (
    import_id   INTEGER NOT NULL REFERENCES import (id) ON DELETE CASCADE,
    external_id TEXT    NOT NULL,
    previous    TEXT    NOT NULL,
    PRIMARY KEY (import_id, external_id)
) WITHOUT ROWID;

CREATE TABLE spend (
    source_id    INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (source_id, year, month)
) WITHOUT ROWID;

CREATE TABLE meeting (
    id              INTEGER PRIMARY KEY,
    held_on         TEXT    NOT NULL,
    title           TEXT    NOT NULL DEFAULT '',
    plan_version_id INTEGER REFERENCES plan_version (id) ON DELETE SET NULL,
    period_from     INTEGER NOT NULL DEFAULT 0 CHECK (period_from BETWEEN 0 AND 11),
    period_to       INTEGER NOT NULL DEFAULT 11 CHECK (period_to BETWEEN 0 AND 11),
    notes           TEXT    NOT NULL DEFAULT '',
    -- versions created or frozen in this meeting
    replan_version_id   INTEGER REFERENCES plan_version (id) ON DELETE SET NULL,
    baseline_version_id INTEGER REFERENCES plan_version (id) ON DELETE SET NULL
);

CREATE TABLE meeting_attendee (
    meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    side       TEXT    NOT NULL CHECK (side IN ('marketing', 'sales')),
    PRIMARY KEY (meeting_id, position)
) WITHOUT ROWID;

CREATE TABLE agenda_item (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    decision   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX agenda_item_by_meeting ON agenda_item (meeting_id, position);

CREATE TABLE action_item (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER REFERENCES meeting (id) ON DELETE SET NULL,
    text       TEXT    NOT NULL,
    owner_side TEXT    NOT NULL CHECK (owner_side IN ('marketing', 'sales')),
    owner      TEXT    NOT NULL DEFAULT '',
    due_on     TEXT,
    status     TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    created_at INTEGER NOT NULL,
    closed_at  INTEGER
);

CREATE TABLE glossary_term (
    id                    INTEGER PRIMARY KEY,
    term                  TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    definition            TEXT    NOT NULL,
    marketing_agreed_by   TEXT,
    marketing_agreed_at   INTEGER,
    sales_agreed_by       TEXT,
    sales_agreed_at       INTEGER
);

CREATE TABLE feedback_reason (
    id    INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE lead_feedback (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    given_by   TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE lead_feedback_reason (
    feedback_id INTEGER NOT NULL REFERENCES lead_feedback (id) ON DELETE CASCADE,
    reason_id   INTEGER NOT NULL REFERENCES feedback_reason (id) ON DELETE CASCADE,
    PRIMARY KEY (feedback_id, reason_id)
) WITHOUT ROWID;

-- a column mapping chosen once for a header signature, and value mappings
CREATE TABLE column_mapping (
    signature TEXT PRIMARY KEY,
    mapping   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE value_mapping (
    kind   TEXT NOT NULL CHECK (kind IN ('source', 'product_line', 'stage')),
    raw    TEXT NOT NULL COLLATE NOCASE,
    mapped TEXT NOT NULL,
    PRIMARY KEY (kind, raw)
) WITHOUT ROWID;

CREATE TABLE report_template (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    options TEXT NOT NULL
);
