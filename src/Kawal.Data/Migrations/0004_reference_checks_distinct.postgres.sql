-- The per-statement reference check (0003) probes each distinct new value once: a batch of memberships refers to a few
-- employers and regions, so probing every row repeated the same look-ups (a registry import: 3,000 probes per 1,000
-- memberships, now about 1,000).
CREATE OR REPLACE FUNCTION kawal_check_inserted_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    EXECUTE format('SELECT d.v::text FROM (SELECT DISTINCT n.%1$I AS v FROM kawal_inserted n WHERE n.%1$I IS NOT NULL) d WHERE NOT EXISTS (SELECT FROM %4$I.%2$I p WHERE p.%3$I = d.v OFFSET 0) LIMIT 1',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_TABLE_SCHEMA) INTO missing;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the reference %(%) to %(%)', TG_TABLE_NAME, TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]
            USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], missing, TG_ARGV[1]);
    END IF;
    RETURN NULL;
END $$;
