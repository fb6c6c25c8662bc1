-- References of the bulk tables (memberships, their history, bill lines, bills, payments, allocations) are checked once
-- per statement instead of once per row. A row-level foreign key on PostgreSQL looks up and share-locks the referenced
-- row for every inserted row: two thirds of the server's time in a registry import (1,000,000 rows: 32.7 s with the
-- foreign keys, 16.5 s with these checks, 11.7 s with none; docs/architecture.md § References on PostgreSQL).
-- The guarantee is the same because referenced rows are never deleted nor re-keyed: the referenced table refuses DELETE,
-- TRUNCATE and a change of the key, so no lock is needed to keep a checked reference valid.
-- kawal_reference_by_statement(child, column, parent, parent column) swaps one foreign key for these triggers.

-- After an INSERT: every new non-null value must exist in the parent (one index probe per row; OFFSET 0 keeps the
-- probe from being planned as a join over the whole parent table).
CREATE FUNCTION kawal_check_inserted_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    EXECUTE format('SELECT n.%1$I::text FROM kawal_inserted n WHERE n.%1$I IS NOT NULL AND NOT EXISTS (SELECT FROM %4$I.%2$I p WHERE p.%3$I = n.%1$I OFFSET 0) LIMIT 1',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_TABLE_SCHEMA) INTO missing;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the reference %(%) to %(%)', TG_TABLE_NAME, TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]
            USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], missing, TG_ARGV[1]);
    END IF;
    RETURN NULL;
END $$;

-- After an UPDATE that changed the referencing column (the trigger's WHEN clause): the new value must exist.
CREATE FUNCTION kawal_check_updated_reference() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    present boolean;
BEGIN
    EXECUTE format('SELECT ($1).%1$I IS NULL OR EXISTS (SELECT FROM %4$I.%2$I p WHERE p.%3$I = ($1).%1$I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_TABLE_SCHEMA) INTO present USING NEW;
    IF NOT present THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the reference %(%) to %(%)', TG_TABLE_NAME, TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;

-- Referenced tables: no DELETE, no TRUNCATE (statement triggers) and no change of the referenced key.
CREATE FUNCTION kawal_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of table "%" are never deleted: % refers to them', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE FUNCTION kawal_refuse_rekey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the key of a row of table "%" cannot change: % refers to it', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE FUNCTION kawal_reference_by_statement(child text, col text, parent text, parent_col text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fk text;
    who text := child || '.' || col;
BEGIN
    SELECT c.conname INTO fk FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = child::regclass AND c.confrelid = parent::regclass
      AND c.conkey = ARRAY[(SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = child::regclass AND a.attname = col)];
    IF fk IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', child, fk);
    END IF;
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS kawal_inserted FOR EACH STATEMENT EXECUTE FUNCTION kawal_check_inserted_references(%L, %L, %L)',
                   left(child || '_' || col || '_ref', 63), child, col, parent, parent_col);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OF %I ON %I FOR EACH ROW WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION kawal_check_updated_reference(%L, %L, %L)',
                   left(child || '_' || col || '_ref_update', 63), col, child, col, col, col, parent, parent_col);
    EXECUTE format('CREATE TRIGGER %I BEFORE DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION kawal_refuse_delete(%L)',
                   left(parent || '_no_delete_' || child || '_' || col, 63), parent, who);
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF %I ON %I FOR EACH ROW WHEN (OLD.%I IS DISTINCT FROM NEW.%I) EXECUTE FUNCTION kawal_refuse_rekey(%L)',
                   left(parent || '_no_rekey_' || child || '_' || col, 63), parent_col, parent, parent_col, parent_col, who);
END $$;
