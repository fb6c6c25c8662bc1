-- Registry: employers, participants (one per NIK), memberships with history, and the ledger of imports.
CREATE TABLE employers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    npp text NOT NULL UNIQUE,
    nib text NULL UNIQUE,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('private', 'bumn', 'bumd', 'central_gov', 'regional_gov', 'village', 'other')),
    region_code text NOT NULL REFERENCES regions (code),
    risk_class smallint NOT NULL CHECK (risk_class BETWEEN 1 AND 5),
    size text NOT NULL CHECK (size IN ('micro', 'small', 'medium', 'large')),
    address text NULL,
    status text NOT NULL CHECK (status IN ('active', 'inactive', 'closed')),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ix_employers_region ON employers (region_code);

CREATE TABLE participants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nik text NOT NULL UNIQUE,
    kpj text NULL UNIQUE,
    name text NOT NULL,
    sex text NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date date NOT NULL,
    phone text NULL,
    domicile_region_code text NOT NULL REFERENCES regions (code),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX ix_participants_domicile ON participants (domicile_region_code);

CREATE TABLE memberships (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id bigint NOT NULL REFERENCES participants (id),
    employer_id bigint NULL REFERENCES employers (id),
    segment text NOT NULL CHECK (segment IN ('PU', 'BPU', 'JAKON', 'PMI')),
    category text NOT NULL CHECK (category IN ('regular', 'non_asn', 'village_apparatus', 'rt_rw', 'election_organiser', 'vulnerable')),
    occupation text NULL,
    payer_kind text NOT NULL CHECK (payer_kind IN ('employer', 'self', 'apbd', 'apbdes', 'csr', 'baznas')),
    payer_ref text NULL,
    programmes text NOT NULL,
    wage bigint NOT NULL CHECK (wage >= 0),
    valid_from date NOT NULL,
    valid_to date NULL,
    status text NOT NULL CHECK (status IN ('active', 'inactive', 'ended')),
    region_code text NOT NULL REFERENCES regions (code),
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX ix_memberships_participant ON memberships (participant_id);
CREATE INDEX ix_memberships_employer ON memberships (employer_id);
CREATE INDEX ix_memberships_region ON memberships (region_code, segment);

CREATE TABLE membership_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    membership_id bigint NOT NULL REFERENCES memberships (id),
    changed_at timestamptz NOT NULL,
    changed_by text NOT NULL,
    change text NOT NULL CHECK (change IN ('created', 'wage', 'status', 'ended', 'programmes', 'payer', 'category')),
    old_wage bigint NULL,
    new_wage bigint NULL,
    old_value text NULL,
    new_value text NULL,
    import_id bigint NULL
);
CREATE INDEX ix_membership_history_membership ON membership_history (membership_id);

CREATE TABLE imports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('participants', 'employers')),
    file_name text NOT NULL,
    checksum text NOT NULL,
    format text NOT NULL,
    imported_by text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    dry_run boolean NOT NULL,
    all_or_nothing boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('running', 'completed', 'rolled_back', 'failed')),
    rows integer NOT NULL DEFAULT 0,
    accepted integer NOT NULL DEFAULT 0,
    rejected integer NOT NULL DEFAULT 0,
    created integer NOT NULL DEFAULT 0,
    updated integer NOT NULL DEFAULT 0,
    unchanged integer NOT NULL DEFAULT 0
);

CREATE TABLE import_errors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id bigint NOT NULL REFERENCES imports (id),
    row_number integer NOT NULL,
    column_name text NULL,
    code text NOT NULL,
    message_id text NOT NULL,
    message_en text NOT NULL,
    value text NULL
);
CREATE INDEX ix_import_errors_import ON import_errors (import_id, row_number);
