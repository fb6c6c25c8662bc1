-- Contributions ledger. A bill's amount is the sum of its lines; a negative bill (only reversals) is a credit note.
-- bills.paid: for a bill, what allocations paid of it; for a credit note, how much of its credit was applied.
-- Payers, billing runs, bills and their lines, payments and their allocation, arrears suspensions.
CREATE TABLE payers (
    id INTEGER PRIMARY KEY,
    payer_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('employer', 'self', 'apbd', 'apbdes', 'csr', 'baznas')),
    reference TEXT NULL,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    created_at TEXT NOT NULL
);
CREATE INDEX ix_payers_region ON payers (region_code);

CREATE TABLE billing_runs (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    region_code TEXT NULL,
    ordinal INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed')),
    cursor_id INTEGER NOT NULL DEFAULT 0,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    UNIQUE (period, ordinal)
);

CREATE TABLE rate_sets (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL,
    segment TEXT NOT NULL,
    parameters TEXT NOT NULL,
    UNIQUE (period, segment)
);

CREATE TABLE bills (
    id INTEGER PRIMARY KEY,
    bill_number TEXT NOT NULL UNIQUE,
    payer_id INTEGER NOT NULL REFERENCES payers (id),
    period TEXT NOT NULL,
    bill_group TEXT NOT NULL CHECK (bill_group IN ('PU', 'BPU')),
    run_id INTEGER NOT NULL REFERENCES billing_runs (id),
    sequence INTEGER NOT NULL,
    due_date TEXT NOT NULL,
    amount INTEGER NOT NULL DEFAULT 0,
    employer_amount INTEGER NOT NULL DEFAULT 0,
    worker_amount INTEGER NOT NULL DEFAULT 0,
    government_amount INTEGER NOT NULL DEFAULT 0,
    jp_amount INTEGER NOT NULL DEFAULT 0,
    line_count INTEGER NOT NULL DEFAULT 0,
    paid INTEGER NOT NULL DEFAULT 0,
    region_code TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (payer_id, period, bill_group, run_id),
    UNIQUE (payer_id, period, bill_group, sequence)
);
CREATE INDEX ix_bills_payer ON bills (payer_id, due_date);
CREATE INDEX ix_bills_period ON bills (period, region_code);
CREATE INDEX ix_bills_open ON bills (due_date) WHERE paid < amount;

CREATE TABLE bill_lines (
    id INTEGER PRIMARY KEY,
    bill_id INTEGER NOT NULL REFERENCES bills (id),
    membership_id INTEGER NOT NULL REFERENCES memberships (id),
    period TEXT NOT NULL,
    segment TEXT NOT NULL,
    programmes TEXT NOT NULL,
    risk_class INTEGER NOT NULL,
    base INTEGER NOT NULL,
    employer_amount INTEGER NOT NULL,
    worker_amount INTEGER NOT NULL,
    government_amount INTEGER NOT NULL,
    jp_amount INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    supplementary INTEGER NOT NULL,
    rate_set_id INTEGER NOT NULL REFERENCES rate_sets (id),
    region_code TEXT NOT NULL
);
CREATE INDEX ix_bill_lines_membership ON bill_lines (membership_id, period);
CREATE INDEX ix_bill_lines_bill ON bill_lines (bill_id);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    payer_id INTEGER NOT NULL REFERENCES payers (id),
    bill_id INTEGER NULL REFERENCES bills (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    unallocated INTEGER NOT NULL CHECK (unallocated >= 0),
    paid_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    import_id INTEGER NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK (unallocated <= amount)
);
CREATE INDEX ix_payments_payer ON payments (payer_id, paid_on);

CREATE TABLE allocations (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NULL REFERENCES payments (id),
    credit_bill_id INTEGER NULL REFERENCES bills (id),
    bill_id INTEGER NOT NULL REFERENCES bills (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    paid_on TEXT NOT NULL,
    CHECK ((payment_id IS NULL) <> (credit_bill_id IS NULL))
);
CREATE INDEX ix_allocations_bill ON allocations (bill_id);
CREATE INDEX ix_allocations_payment ON allocations (payment_id);

-- Memberships made non-aktif by the arrears rule (arrears.inactive.months), so that paying makes exactly them active again.
-- suspended_on: the day the oldest unpaid bill passed the limit (its due date + the months of the rule).
CREATE TABLE arrears_suspensions (
    membership_id INTEGER PRIMARY KEY REFERENCES memberships (id),
    suspended_on TEXT NOT NULL,
    oldest_due TEXT NOT NULL
);
