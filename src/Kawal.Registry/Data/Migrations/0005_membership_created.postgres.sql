-- Who created a membership, and by which import, is kept on the membership itself instead of in a 'created' row of
-- membership_history: the history holds changes only (a third fewer rows written by a registry import). The values a
-- membership was created with are its current ones, or the old values of its first change of each kind.
ALTER TABLE memberships ADD COLUMN created_by text NULL;
ALTER TABLE memberships ADD COLUMN import_id bigint NULL;
