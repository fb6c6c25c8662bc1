-- Provinces and regencies/cities with Kemendagri codes, valid over [valid_from, valid_to) (null = open).
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    parent_code TEXT NULL REFERENCES regions (code),
    level TEXT NOT NULL CHECK (level IN ('province', 'regency')),
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('provinsi', 'kabupaten', 'kota')),
    valid_from TEXT NULL,
    valid_to TEXT NULL,
    successor_code TEXT NULL,
    bps_code TEXT NULL
);

CREATE INDEX ix_regions_parent ON regions (parent_code);
CREATE INDEX ix_regions_level ON regions (level);
