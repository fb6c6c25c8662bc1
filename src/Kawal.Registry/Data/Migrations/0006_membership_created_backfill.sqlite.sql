-- Memberships created before 0005: their creator and import move from the 'created' history row onto the membership.
UPDATE memberships SET created_by = h.changed_by, import_id = h.import_id
FROM membership_history h WHERE h.membership_id = memberships.id AND h.change = 'created' AND memberships.created_by IS NULL;
DELETE FROM membership_history WHERE change = 'created';
