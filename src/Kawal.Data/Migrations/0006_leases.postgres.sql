-- Exclusive batch runs (Leases.cs): one row per scope a batch holds (billing of a month, a kind of import, the monev
-- refresh …). Held while expires_ms (Unix milliseconds, the holder's clock) is in the future; renewed by the holder.
CREATE TABLE leases (
    kind text NOT NULL,
    scope text NOT NULL,
    holder text NOT NULL,
    host text NOT NULL,
    machine text NOT NULL,
    pid integer NOT NULL,
    process_started_ms bigint NOT NULL,
    actor text NOT NULL,
    description text NOT NULL,
    acquired_ms bigint NOT NULL,
    expires_ms bigint NOT NULL,
    PRIMARY KEY (kind, scope)
);
