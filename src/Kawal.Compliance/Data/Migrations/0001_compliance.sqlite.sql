-- Compliance and enforcement (docs/compliance.md): minimum wages, an imported business registry, prosecutors' offices,
-- cases with their events, recoveries (payments of the contributions ledger), sanctions, published recovery aggregates.
CREATE TABLE minimum_wages (
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('UMP', 'UMK')),
    amount INTEGER NOT NULL CHECK (amount > 0),
    legal_basis TEXT NULL,
    source TEXT NOT NULL,
    import_id INTEGER NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region_code, year, kind)
);

CREATE TABLE business_registry (
    id INTEGER PRIMARY KEY,
    nib TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    sector TEXT NULL,
    workers INTEGER NOT NULL CHECK (workers >= 0),
    source TEXT NOT NULL,
    import_id INTEGER NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_business_registry_region ON business_registry (region_code);

CREATE TABLE prosecutor_offices (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('kejati', 'kejari')),
    region_code TEXT NOT NULL REFERENCES regions (code)
);

CREATE TABLE compliance_cases (
    id INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('pwbd', 'pds_workers', 'pds_wage', 'pds_programme', 'arrears')),
    subject_key TEXT NOT NULL,
    employer_id INTEGER NULL REFERENCES employers (id),
    nib TEXT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    status TEXT NOT NULL CHECK (status IN ('detected', 'warning1', 'warning2', 'skk', 'closed')),
    evidence TEXT NOT NULL,
    amount INTEGER NOT NULL DEFAULT 0,
    detected_on TEXT NOT NULL,
    step_due TEXT NULL,
    warning1_on TEXT NULL,
    warning2_on TEXT NULL,
    skk_number TEXT NULL,
    skk_date TEXT NULL,
    office_code TEXT NULL REFERENCES prosecutor_offices (code),
    skk_amount INTEGER NULL,
    closed_on TEXT NULL,
    close_reason TEXT NULL CHECK (close_reason IS NULL OR close_reason IN ('paid', 'registered', 'uncollectible', 'resolved')),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_compliance_cases_open ON compliance_cases (kind, subject_key) WHERE status <> 'closed';
CREATE INDEX ix_compliance_cases_region ON compliance_cases (region_code, status);
CREATE INDEX ix_compliance_cases_office ON compliance_cases (office_code);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES compliance_cases (id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    actor TEXT NOT NULL,
    details TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_case_events_case ON case_events (case_id);

CREATE TABLE case_recoveries (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES compliance_cases (id),
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    paid_on TEXT NOT NULL,
    office_code TEXT NOT NULL REFERENCES prosecutor_offices (code),
    created_at TEXT NOT NULL
);
CREATE INDEX ix_case_recoveries_case ON case_recoveries (case_id);

CREATE TABLE sanctions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES compliance_cases (id),
    subject_key TEXT NOT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    basis TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NULL
);
CREATE INDEX ix_sanctions_subject ON sanctions (subject_key);

-- Recovery figures published outside Kawal (e.g. a province's year report): region, month, SKK count, amounts, source.
CREATE TABLE compliance_history (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    period TEXT NOT NULL,
    skk_count INTEGER NOT NULL,
    skk_amount INTEGER NOT NULL,
    recovered INTEGER NOT NULL,
    source TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (region_code, period, source)
);
