-- How many memberships a billing run leaves billed for its month (net of its lines not zero), counted by the run as it
-- commits each batch, so that its summary need not group every line of the month again. NULL for runs started before
-- this column existed: their summary counts from the lines.
ALTER TABLE billing_runs ADD COLUMN memberships_billed bigint NULL;
