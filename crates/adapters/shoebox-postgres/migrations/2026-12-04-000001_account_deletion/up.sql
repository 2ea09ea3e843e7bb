-- SPEC §8: a deletion waits out its grace period; the hourly job erases
-- every member whose time has come.
ALTER TABLE users ADD COLUMN deletion_due_at timestamptz;
CREATE INDEX users_deletion_due_at ON users (deletion_due_at) WHERE deletion_due_at IS NOT NULL;
