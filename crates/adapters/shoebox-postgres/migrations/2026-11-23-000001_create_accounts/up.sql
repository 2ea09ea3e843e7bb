-- Accounts: members, their browser sessions, personal API tokens,
-- invitations, and the counters of failed logins.

CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    password_hash text NOT NULL,
    display_name text NOT NULL,
    full_name text,
    bio text,
    role text NOT NULL DEFAULT 'member',
    disabled_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_role_check CHECK (role IN ('member', 'admin'))
);

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the cookie value; the value itself is never stored.
    token_hash bytea NOT NULL,
    csrf_token text NOT NULL,
    user_agent text,
    ip text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT sessions_token_hash_key UNIQUE (token_hash)
);

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL,
    hint text NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);

CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    token_hash bytea NOT NULL,
    -- When set, only this address may accept the invitation.
    email text,
    role text NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz,
    CONSTRAINT invitations_token_hash_key UNIQUE (token_hash),
    CONSTRAINT invitations_role_check CHECK (role IN ('member', 'admin'))
);

-- Fixed windows of failed logins per account and per client address,
-- shared by every server replica.
CREATE TABLE login_throttle (
    scope text NOT NULL,
    key text NOT NULL,
    failures integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key),
    CONSTRAINT login_throttle_scope_check CHECK (scope IN ('account', 'ip')),
    CONSTRAINT login_throttle_failures_check CHECK (failures >= 0)
);
