-- The signing key of compliance answers (ComplianceKeys.cs), shared by every node so that an answer signed by one node
-- verifies with the public key any node publishes. Created once: generation 1 is inserted by the first node that needs
-- it (the others' inserts do nothing) and every node reads it back. The answer names key_id; the newest generation
-- signs, so that a later rotation can add one.
CREATE TABLE compliance_signing_keys (
    generation integer PRIMARY KEY,
    key_id text NOT NULL UNIQUE,
    private_key_pem text NOT NULL,
    created_ms bigint NOT NULL
);
