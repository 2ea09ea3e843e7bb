DROP INDEX users_deletion_due_at;
ALTER TABLE users DROP COLUMN deletion_due_at;
