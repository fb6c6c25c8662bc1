-- Registry: employers, participants (one per NIK), memberships with history, and the ledger of imports.
CREATE TABLE employers (
    id INTEGER PRIMARY KEY,
    npp TEXT NOT NULL UNIQUE,
    nib TEXT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('private', 'bumn', 'bumd', 'central_gov', 'regional_gov', 'village', 'other')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    risk_class INTEGER NOT NULL CHECK (risk_class BETWEEN 1 AND 5),
    size TEXT NOT NULL CHECK (size IN ('micro', 'small', 'medium', 'large')),
    address TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'closed')),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_employers_region ON employers (region_code);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    nik TEXT NOT NULL UNIQUE,
    kpj TEXT NULL UNIQUE,
    name TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date TEXT NOT NULL,
    phone TEXT NULL,
    domicile_region_code TEXT NOT NULL REFERENCES regions (code),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_participants_domicile ON participants (domicile_region_code);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    employer_id INTEGER NULL REFERENCES employers (id),
    segment TEXT NOT NULL CHECK (segment IN ('PU', 'BPU', 'JAKON', 'PMI')),
    category TEXT NOT NULL CHECK (category IN ('regular', 'non_asn', 'village_apparatus', 'rt_rw', 'election_organiser', 'vulnerable')),
    occupation TEXT NULL,
    payer_kind TEXT NOT NULL CHECK (payer_kind IN ('employer', 'self', 'apbd', 'apbdes', 'csr', 'baznas')),
    payer_ref TEXT NULL,
    programmes TEXT NOT NULL,
    wage INTEGER NOT NULL CHECK (wage >= 0),
    valid_from TEXT NOT NULL,
    valid_to TEXT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'ended')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX ix_memberships_participant ON memberships (participant_id);
CREATE INDEX ix_memberships_employer ON memberships (employer_id);
CREATE INDEX ix_memberships_region ON memberships (region_code, segment);

CREATE TABLE membership_history (
    id INTEGER PRIMARY KEY,
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('created', 'wage', 'status', 'ended', 'programmes', 'payer', 'category')),
    old_wage INTEGER NULL,
    new_wage INTEGER NULL,
    old_value TEXT NULL,
    new_value TEXT NULL,
    import_id INTEGER NULL
);
CREATE INDEX ix_membership_history_membership ON membership_history (membership_id);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('participants', 'employers')),
    file_name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    format TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    dry_run INTEGER NOT NULL,
    all_or_nothing INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'rolled_back', 'failed')),
    rows INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE import_errors (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    row_number INTEGER NOT NULL,
    column_name TEXT NULL,
    code TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_en TEXT NOT NULL,
    value TEXT NULL
);
CREATE INDEX ix_import_errors_import ON import_errors (import_id, row_number);
