-- Which shipped reference data set (regions, boundaries, labour force …) is loaded, and from which checksum.
CREATE TABLE reference_data (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    loaded_at TEXT NOT NULL
);
