-- SQLite has no TRUNCATE: DELETE FROM audit_log is already refused row by row by audit_log_no_delete (0001). The head
-- row must not be deleted either.
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head is append-only'); END;
