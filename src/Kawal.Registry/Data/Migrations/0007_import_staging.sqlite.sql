-- Files between an import's check (dry run) and its confirmation (ImportStaging.cs), in the database so that the
-- confirmation may reach another node than the check did. A staged file is its row and its content in parts of at most
-- 4 MiB (read and written one part at a time); it is removed once imported, and any node removes the expired ones.
-- Times are Unix milliseconds.
CREATE TABLE import_staging (
    token TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    extension TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX ix_import_staging_expires ON import_staging (expires_ms);

CREATE TABLE import_staging_parts (
    token TEXT NOT NULL REFERENCES import_staging (token) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (token, part)
);
