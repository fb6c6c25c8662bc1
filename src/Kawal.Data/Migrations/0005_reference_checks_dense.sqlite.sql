SELECT 1; -- PostgreSQL only: SQLite keeps its row-level foreign keys (0003).
