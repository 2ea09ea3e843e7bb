-- Photos, their variants, albums and share links (SPEC §5).

CREATE TABLE photos (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'processing',
    failure_reason text,
    format text NOT NULL,
    size_bytes bigint NOT NULL,
    -- SHA-256 of the original: per-member de-duplication and the ETag.
    sha256 bytea NOT NULL,
    -- Displayed dimensions (EXIF orientation applied).
    width integer NOT NULL,
    height integer NOT NULL,
    orientation smallint NOT NULL DEFAULT 1,
    -- The camera's local time: EXIF carries no time zone.
    taken_at timestamp,
    camera text,
    -- Location: shown to the owner only.
    latitude double precision,
    longitude double precision,
    altitude_m double precision,
    caption text,
    original_name text,
    -- taken_at, or else the upload time in UTC: the "by date taken" order.
    sort_at timestamp NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT photos_owner_sha256_key UNIQUE (owner_id, sha256),
    CONSTRAINT photos_status_check CHECK (status IN ('processing', 'ready', 'failed')),
    CONSTRAINT photos_failure_check CHECK ((status = 'failed') = (failure_reason IS NOT NULL)),
    CONSTRAINT photos_format_check CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    CONSTRAINT photos_size_check CHECK (size_bytes > 0),
    CONSTRAINT photos_sha256_check CHECK (octet_length(sha256) = 32),
    CONSTRAINT photos_dimensions_check CHECK (width > 0 AND height > 0),
    CONSTRAINT photos_orientation_check CHECK (orientation BETWEEN 1 AND 8)
);

CREATE INDEX photos_owner_newest_idx ON photos (owner_id, id DESC);
CREATE INDEX photos_owner_taken_idx ON photos (owner_id, sort_at DESC, id DESC);

CREATE TABLE photo_variants (
    photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    kind text NOT NULL,
    format text NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 bytea NOT NULL,
    PRIMARY KEY (photo_id, kind),
    CONSTRAINT photo_variants_kind_check CHECK (kind IN ('thumbnail', 'preview')),
    CONSTRAINT photo_variants_format_check CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    CONSTRAINT photo_variants_sha256_check CHECK (octet_length(sha256) = 32)
);

CREATE TABLE albums (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL,
    description text,
    visibility text NOT NULL DEFAULT 'private',
    -- The chosen cover; when NULL the album's first photo is shown.
    cover_photo_id uuid REFERENCES photos (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT albums_visibility_check CHECK (visibility IN ('private', 'members', 'link'))
);

CREATE INDEX albums_owner_idx ON albums (owner_id, id DESC);
CREATE INDEX albums_members_idx ON albums (id DESC) WHERE visibility = 'members';

CREATE TABLE album_photos (
    album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    photo_id uuid NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    position bigint NOT NULL,
    added_at timestamptz NOT NULL,
    PRIMARY KEY (album_id, photo_id)
);

-- Album order, and "which albums hold this photo" for access checks.
CREATE INDEX album_photos_order_idx ON album_photos (album_id, position, photo_id);
CREATE INDEX album_photos_photo_idx ON album_photos (photo_id);

CREATE TABLE share_links (
    id uuid PRIMARY KEY,
    album_id uuid NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    -- SHA-256 of the link's token; the token itself is never stored.
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT share_links_token_hash_key UNIQUE (token_hash)
);

CREATE INDEX share_links_album_idx ON share_links (album_id, id DESC);
