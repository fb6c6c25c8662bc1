-- Which shipped reference data set (regions, boundaries, labour force …) is loaded, and from which checksum.
CREATE TABLE reference_data (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    row_count integer NOT NULL,
    loaded_at timestamptz NOT NULL
);
