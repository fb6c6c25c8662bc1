-- What the nodes of one database share (docs/operations.md, several nodes).
-- The ASP.NET Core data-protection key ring (DataProtectionKeys.cs): the keys of antiforgery tokens and cookies, one XML
-- element per key, so that a form rendered by one node posts to another and every node reads every node's cookies.
CREATE TABLE data_protection_keys (
    name TEXT PRIMARY KEY,
    xml TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

-- The audit key itself stays outside the database (docs/security.md, audit); this records which key writes the chain:
-- its fingerprint, HMAC-SHA256 with the key over a fixed text (AuditKeyCheck.cs). A node whose key file holds another
-- key refuses to start and to append. Generation 1 is inserted by the first process that checks (the others' inserts do
-- nothing) and the newest generation writes; key_id names the key (the fingerprint's first 16 hex digits) for a later rotation.
CREATE TABLE audit_keys (
    generation INTEGER PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
