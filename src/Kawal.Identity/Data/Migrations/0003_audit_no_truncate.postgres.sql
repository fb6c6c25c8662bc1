-- The audit log and its head refuse TRUNCATE (the row triggers of 0001 do not see it). A role that owns the tables can
-- still disable the triggers: run the application as a role that does not own them (docs/security.md, audit), and rely
-- on the keyed chain and the checkpoint file outside the database to detect what an owner does.
CREATE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END $$;

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
