-- Demo datasets seeded into this database (kawal demo seed): while a row exists, every page says the data is synthetic.
CREATE TABLE demo_runs (
    id INTEGER PRIMARY KEY,
    seed INTEGER NOT NULL,
    participants INTEGER NOT NULL,
    scenario TEXT NULL,
    from_period TEXT NOT NULL,
    to_period TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NULL,
    summary TEXT NULL
);
