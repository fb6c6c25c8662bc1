-- PostgreSQL only (statement-level reference checks, see the .postgres.sql twin): SQLite keeps its row-level foreign
-- keys, which cost it little (no row locks), and has no transition tables.
SELECT 1;
