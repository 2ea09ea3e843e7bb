-- SPEC §8: data exports. A job builds each ZIP; its owner downloads it until
-- expires_at (7 days), then the sweeper removes the object and the row. The
-- ZIP itself lives in the object store under the owner's prefix.
CREATE TABLE data_exports (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
    requested_at timestamptz NOT NULL,
    finished_at timestamptz,
    expires_at timestamptz,
    size_bytes bigint CHECK (size_bytes >= 0),
    photo_count bigint CHECK (photo_count >= 0)
);
CREATE INDEX data_exports_user_id ON data_exports (user_id, id);
-- One export in the making per member.
CREATE UNIQUE INDEX data_exports_one_pending ON data_exports (user_id) WHERE status = 'pending';
CREATE INDEX data_exports_expires_at ON data_exports (expires_at) WHERE expires_at IS NOT NULL;

-- SPEC §8: the audit log of admin and privacy actions. Identifiers and a
-- fixed action name only, never personal data; no foreign keys, so that an
-- entry outlives the member it names.
CREATE TABLE audit_log (
    id uuid PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('member', 'operator', 'system')),
    actor_id uuid,
    action text NOT NULL,
    target_id uuid,
    CHECK ((actor_kind = 'member') = (actor_id IS NOT NULL))
);
