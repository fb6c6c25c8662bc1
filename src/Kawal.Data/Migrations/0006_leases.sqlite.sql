-- Exclusive batch runs (Leases.cs): one row per scope a batch holds (billing of a month, a kind of import, the monev
-- refresh …). Held while expires_ms (Unix milliseconds, the holder's clock) is in the future; renewed by the holder.
CREATE TABLE leases (
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    holder TEXT NOT NULL,
    host TEXT NOT NULL,
    machine TEXT NOT NULL,
    pid INTEGER NOT NULL,
    process_started_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    description TEXT NOT NULL,
    acquired_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, scope)
);
