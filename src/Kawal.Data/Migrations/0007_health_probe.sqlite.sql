-- /health proves that the database takes writes (WriteProbe.cs): each node upserts its row on every probe.
CREATE TABLE health_probe (
    host TEXT PRIMARY KEY,
    probed_ms INTEGER NOT NULL
);
