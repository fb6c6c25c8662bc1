-- The per-statement reference check (0003, 0004) probed the parent's index once per distinct new value: about 1.2 µs
-- each, as much as the insert itself for a bulk table (a billing chunk names 5,000 memberships, an import batch 4,000
-- new people). When the new values are integers packed in a narrow range (at most four times as wide as there are
-- values: consecutive ids, as a chunk of memberships or a batch of new people is), the parents in that range are read
-- by one index range scan and anti-joined by hash instead (measured: 1,000,000 checked rows 1.35 s -> 0.4 s). Nested
-- loops are off for this function only (the function's SET clause restores the caller's setting on exit): otherwise
-- the planner, which cannot know how many rows the transition table holds, probes per row again. Other values (text
-- codes, scattered ids) keep the per-value probe.
CREATE OR REPLACE FUNCTION kawal_check_inserted_references() RETURNS trigger LANGUAGE plpgsql SET enable_nestloop = off AS $$
DECLARE
    missing text;
    kind text;
    lo text;
    hi text;
    n bigint;
BEGIN
    EXECUTE format('SELECT pg_typeof(min(n.%1$I))::text, min(n.%1$I)::text, max(n.%1$I)::text, count(n.%1$I) FROM kawal_inserted n', TG_ARGV[0])
        INTO kind, lo, hi, n;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF kind IN ('bigint', 'integer', 'smallint') AND hi::numeric - lo::numeric < 4 * n THEN
        EXECUTE format('SELECT n.%1$I::text FROM kawal_inserted n WHERE n.%1$I IS NOT NULL AND NOT EXISTS (SELECT FROM %4$I.%2$I p WHERE p.%3$I = n.%1$I AND p.%3$I BETWEEN $1 AND $2) LIMIT 1',
                       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_TABLE_SCHEMA) INTO missing USING lo::bigint, hi::bigint;
    ELSE
        EXECUTE format('SELECT d.v::text FROM (SELECT DISTINCT n.%1$I AS v FROM kawal_inserted n WHERE n.%1$I IS NOT NULL) d WHERE NOT EXISTS (SELECT FROM %4$I.%2$I p WHERE p.%3$I = d.v OFFSET 0) LIMIT 1',
                       TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_TABLE_SCHEMA) INTO missing;
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates the reference %(%) to %(%)', TG_TABLE_NAME, TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]
            USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], missing, TG_ARGV[1]);
    END IF;
    RETURN NULL;
END $$;
