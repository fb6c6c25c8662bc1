-- Server-side sign-in sessions (SessionStore.cs). The cookie carries a random token; only its SHA-256 is stored here.
-- A session is live while ended_ms is NULL and neither its idle limit (after seen_ms) nor its absolute limit (after
-- created_ms) has passed; times are Unix milliseconds. Signing out, a new password and disabling the account end it.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_ms INTEGER NOT NULL,
    seen_ms INTEGER NOT NULL,
    ended_ms INTEGER NULL,
    end_reason TEXT NULL
);
CREATE INDEX ix_sessions_user ON sessions (user_id);
CREATE INDEX ix_sessions_created ON sessions (created_ms);
