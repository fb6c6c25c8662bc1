-- The imports ledger also records bank-statement (payments) imports of the contributions module.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('participants', 'employers', 'payments'));
