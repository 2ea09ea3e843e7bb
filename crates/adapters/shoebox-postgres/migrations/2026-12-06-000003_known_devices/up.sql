-- The browsers a member has signed in from, each known by the SHA-256 of a
-- random id in its long-lived `shoebox_device` cookie: a sign-in from a
-- browser not listed here is announced to the member by mail.

SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE known_devices (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_hash bytea NOT NULL,
    first_seen_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
