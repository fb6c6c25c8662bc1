-- PostgreSQL only (see core/0003_reference_checks): SQLite keeps its row-level foreign keys.
SELECT 1;
