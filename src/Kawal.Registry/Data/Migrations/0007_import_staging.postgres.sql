-- Files between an import's check (dry run) and its confirmation (ImportStaging.cs), in the database so that the
-- confirmation may reach another node than the check did. A staged file is its row and its content in parts of at most
-- 4 MiB (read and written one part at a time); it is removed once imported, and any node removes the expired ones.
-- Times are Unix milliseconds.
CREATE TABLE import_staging (
    token text PRIMARY KEY,
    actor text NOT NULL,
    file_name text NOT NULL,
    kind text NOT NULL,
    extension text NOT NULL,
    size_bytes bigint NOT NULL,
    created_ms bigint NOT NULL,
    expires_ms bigint NOT NULL
);
CREATE INDEX ix_import_staging_expires ON import_staging (expires_ms);

CREATE TABLE import_staging_parts (
    token text NOT NULL REFERENCES import_staging (token) ON DELETE CASCADE,
    part integer NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (token, part)
);
