-- Email addresses a member has shown they control: verification at
-- sign-up and the change of address, both confirmed by a mailed link.

SET lock_timeout = '5s';
SET statement_timeout = '60s';

-- Null until the member follows a confirmation link. Accounts made before
-- verification existed (and by the operator) count as verified: the column
-- is added with that default for existing rows, then new rows get null.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL;

-- One row per mailed link; only the token's SHA-256 is kept. `email` is the
-- address the link was sent to: the member's own (verification) or the new
-- one they asked for (change of address).
CREATE TABLE email_confirmations (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

CREATE INDEX email_confirmations_user_id_idx ON email_confirmations (user_id);
