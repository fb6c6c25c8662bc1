-- The imports ledger records the imports of every module (registry, payments, monev denominators and commitments,
-- and those of later modules): the kind is checked by the module that runs the import, not by a list here.
-- SQLite cannot alter a CHECK constraint: both tables are rebuilt as in 0002.
CREATE TABLE imports_v3 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40 AND kind NOT GLOB '*[^a-z_]*'),
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
INSERT INTO imports_v3 SELECT * FROM imports;

CREATE TABLE import_errors_v3 (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports_v3 (id),
    row_number INTEGER NOT NULL,
    column_name TEXT NULL,
    code TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_en TEXT NOT NULL,
    value TEXT NULL
);
INSERT INTO import_errors_v3 SELECT * FROM import_errors;

DROP TABLE import_errors;
DROP TABLE imports;
ALTER TABLE imports_v3 RENAME TO imports;
ALTER TABLE import_errors_v3 RENAME TO import_errors;
CREATE INDEX ix_import_errors_import ON import_errors (import_id, row_number);
