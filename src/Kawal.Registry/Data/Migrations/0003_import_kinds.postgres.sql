-- The imports ledger records the imports of every module (registry, payments, monev denominators and commitments,
-- and those of later modules): the kind is checked by the module that runs the import, not by a list here.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind ~ '^[a-z_]{1,40}$');
