-- Monev of Inpres 2/2021: denominators (BPS labour force, non-ASN census, vulnerable estimates), regional
-- commitments with evidence and their workflow, fiscal-year deadlines, monitoring visits and recommendations, and
-- the summary tables the dashboards read (per regency/city × month), with their freshness.
CREATE TABLE monev_denominators (
    region_code TEXT NOT NULL REFERENCES regions (code),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('labour_force', 'employed', 'non_asn', 'vulnerable')),
    value INTEGER NOT NULL CHECK (value >= 0),
    source TEXT NOT NULL,
    import_id INTEGER NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region_code, year, kind)
);

CREATE TABLE monev_years (
    fiscal_year INTEGER PRIMARY KEY,
    deadline TEXT NOT NULL,
    reopened_until TEXT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regulation', 'apbd', 'ptsp', 'bumd', 'census')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'accepted', 'returned')),
    reg_type TEXT NULL CHECK (reg_type IN ('perda', 'perkada', 'keputusan', 'surat_edaran', 'instruksi')),
    reg_number TEXT NULL,
    reg_date TEXT NULL,
    reg_title TEXT NULL,
    reg_status TEXT NULL CHECK (reg_status IN ('draft', 'enacted', 'revoked')),
    amount INTEGER NULL CHECK (amount >= 0),
    workers_targeted INTEGER NULL CHECK (workers_targeted >= 0),
    target_groups TEXT NULL,
    ptsp_required INTEGER NULL,
    legal_basis TEXT NULL,
    effective_date TEXT NULL,
    bumd_total INTEGER NULL CHECK (bumd_total >= 0),
    bumd_registered INTEGER NULL CHECK (bumd_registered >= 0),
    census_count INTEGER NULL CHECK (census_count >= 0),
    census_source TEXT NULL,
    note TEXT NULL,
    comment TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (region_code, fiscal_year, kind)
);
CREATE INDEX ix_commitments_status ON commitments (status, fiscal_year);

CREATE TABLE commitment_steps (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments (id),
    step TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    comment TEXT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ix_commitment_steps ON commitment_steps (commitment_id, id);

CREATE TABLE commitment_evidence (
    id INTEGER PRIMARY KEY,
    commitment_id INTEGER NOT NULL REFERENCES commitments (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    UNIQUE (commitment_id, sha256)
);

CREATE TABLE monev_visits (
    id INTEGER PRIMARY KEY,
    visit_date TEXT NOT NULL,
    place TEXT NOT NULL,
    team TEXT NOT NULL,
    regions TEXT NOT NULL,
    findings TEXT NOT NULL,
    constraints_found TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE monev_recommendations (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES monev_visits (id),
    action TEXT NOT NULL,
    owner_region TEXT NOT NULL REFERENCES regions (code),
    due_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done')),
    follow_up TEXT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_monev_recommendations_owner ON monev_recommendations (owner_region, status);

-- Active memberships at the end of each month (today for the current month) and memberships started in it.
CREATE TABLE monev_members (
    period TEXT NOT NULL,
    region_code TEXT NOT NULL,
    segment TEXT NOT NULL,
    category TEXT NOT NULL,
    payer_kind TEXT NOT NULL,
    sex TEXT NOT NULL,
    age_band TEXT NOT NULL,
    active INTEGER NOT NULL,
    started INTEGER NOT NULL,
    PRIMARY KEY (period, region_code, segment, category, payer_kind, sex, age_band)
);

-- Bills of each contribution month by the payer's region and kind; outstanding_overdue as of refreshed day.
CREATE TABLE monev_ledger (
    period TEXT NOT NULL,
    region_code TEXT NOT NULL,
    payer_kind TEXT NOT NULL,
    bills INTEGER NOT NULL,
    billed INTEGER NOT NULL,
    government INTEGER NOT NULL,
    collected INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    PRIMARY KEY (period, region_code, payer_kind)
);

CREATE TABLE monev_refresh (
    period TEXT PRIMARY KEY,
    as_of TEXT NOT NULL,
    refreshed_at TEXT NOT NULL,
    member_rows INTEGER NOT NULL,
    ledger_rows INTEGER NOT NULL
);
