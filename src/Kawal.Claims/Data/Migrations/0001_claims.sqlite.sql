-- Claims and benefit payments, JHT accounts, pension runs, historical claim statistics (docs/claims.md).
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    claim_number TEXT NOT NULL UNIQUE,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    membership_id INTEGER NULL REFERENCES memberships (id),
    programme TEXT NOT NULL CHECK (programme IN ('JKM', 'JKK', 'JHT', 'JP', 'JKP')),
    kind TEXT NOT NULL,
    reason TEXT NULL,
    event_date TEXT NOT NULL,
    claim_date TEXT NOT NULL,
    details TEXT NOT NULL,
    documents TEXT NOT NULL,
    checks TEXT NOT NULL,
    benefit TEXT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'approved', 'paid', 'rejected')),
    region_code TEXT NOT NULL REFERENCES regions (code),
    bank_account TEXT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    verified_by TEXT NULL,
    verified_at TEXT NULL,
    approved_by TEXT NULL,
    approved_at TEXT NULL,
    paid_at TEXT NULL,
    rejected_by TEXT NULL,
    rejected_at TEXT NULL,
    reject_rule TEXT NULL,
    reject_reason TEXT NULL,
    visit_id INTEGER NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_claims_event ON claims (participant_id, programme, kind, event_date) WHERE status <> 'rejected';
CREATE INDEX ix_claims_participant ON claims (participant_id);
CREATE INDEX ix_claims_region ON claims (region_code, status);

CREATE TABLE claim_heirs (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    nik TEXT NULL,
    relation TEXT NOT NULL,
    birth_date TEXT NULL,
    married INTEGER NOT NULL,
    working INTEGER NOT NULL,
    bank_account TEXT NULL,
    rank INTEGER NOT NULL,
    entitled INTEGER NOT NULL,
    share INTEGER NOT NULL,
    UNIQUE (claim_id, seq)
);

CREATE TABLE claim_scholarships (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    heir_seq INTEGER NOT NULL,
    year_index INTEGER NOT NULL,
    due_period TEXT NOT NULL,
    level TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'paid', 'lapsed')),
    UNIQUE (claim_id, heir_seq, year_index)
);
CREATE INDEX ix_claim_scholarships_due ON claim_scholarships (due_period, status);

CREATE TABLE claim_payments (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id),
    kind TEXT NOT NULL CHECK (kind IN ('benefit', 'pension', 'jkp', 'scholarship')),
    seq INTEGER NOT NULL,
    period TEXT NOT NULL,
    heir_seq INTEGER NULL,
    amount INTEGER NOT NULL CHECK (amount > 0),
    reference TEXT NOT NULL,
    bank_account TEXT NULL,
    paid_on TEXT NOT NULL,
    paid_by TEXT NOT NULL,
    programme TEXT NOT NULL,
    region_code TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (claim_id, kind, seq)
);
CREATE INDEX ix_claim_payments_reference ON claim_payments (reference);
CREATE INDEX ix_claim_payments_period ON claim_payments (period, region_code);

CREATE TABLE jht_accounts (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id),
    balance INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    returns INTEGER NOT NULL,
    payouts INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE jht_entries (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    entry_date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('contribution', 'return', 'payout')),
    amount INTEGER NOT NULL,
    bill_line_id INTEGER NULL UNIQUE REFERENCES bill_lines (id),
    claim_id INTEGER NULL REFERENCES claims (id),
    year INTEGER NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_jht_entries_participant ON jht_entries (participant_id, entry_date);
CREATE UNIQUE INDEX ux_jht_entries_return ON jht_entries (participant_id, year) WHERE kind = 'return';
CREATE UNIQUE INDEX ux_jht_entries_payout ON jht_entries (claim_id) WHERE kind = 'payout';

-- The development return BPJS declares for a year (percent × 100, e.g. 563 = 5.63 %), with its source.
CREATE TABLE jht_rates (
    year INTEGER PRIMARY KEY,
    rate_bp INTEGER NOT NULL CHECK (rate_bp >= 0 AND rate_bp <= 5000),
    source TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);

CREATE TABLE pension_runs (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    payments INTEGER NOT NULL DEFAULT 0,
    amount INTEGER NOT NULL DEFAULT 0
);

-- Claims paid before Kawal (or outside it), as published aggregates: region, month, programme ('ALL' when not split).
CREATE TABLE claims_history (
    id INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    period TEXT NOT NULL,
    programme TEXT NOT NULL CHECK (programme IN ('ALL', 'JKM', 'JKK', 'JHT', 'JP', 'JKP')),
    cases INTEGER NOT NULL CHECK (cases >= 0),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    source TEXT NOT NULL,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (region_code, period, programme, source)
);
CREATE INDEX ix_claims_history_period ON claims_history (period);
