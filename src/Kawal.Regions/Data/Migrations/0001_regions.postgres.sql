-- Provinces and regencies/cities with Kemendagri codes, valid over [valid_from, valid_to) (null = open).
CREATE TABLE regions (
    code varchar(13) PRIMARY KEY,
    parent_code varchar(13) NULL REFERENCES regions (code),
    level text NOT NULL CHECK (level IN ('province', 'regency')),
    name text NOT NULL,
    type text NOT NULL CHECK (type IN ('provinsi', 'kabupaten', 'kota')),
    valid_from date NULL,
    valid_to date NULL,
    successor_code varchar(13) NULL,
    bps_code varchar(8) NULL
);

CREATE INDEX ix_regions_parent ON regions (parent_code);
CREATE INDEX ix_regions_level ON regions (level);
