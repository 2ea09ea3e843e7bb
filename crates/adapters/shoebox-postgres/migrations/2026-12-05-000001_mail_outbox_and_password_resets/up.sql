-- Mail: rendered messages waiting for their `mail.send` job, and the
-- password-reset tokens those messages carry (only their SHA-256).

SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE mail_outbox (
    id uuid PRIMARY KEY,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
